package io.twinpath.modemsim.internal;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The checks of the simulator settings: each returns the value when it is accepted and otherwise
 * fails with the key, the value and what would be accepted.
 */
public final class SimConfigChecks {
  private SimConfigChecks() {}

  /** 4-8 digits, or null. */
  public static @Nullable String pin(@Nullable String pin) {
    if (pin != null && !pin.matches("[0-9]{4,8}")) {
      throw new IllegalArgumentException(
          "pin '" + pin.replaceAll(".", "*") + "' is not 4 to 8 digits");
    }
    return pin;
  }

  /** 8 digits. */
  public static String puk(String puk) {
    if (!puk.matches("[0-9]{8}")) {
      throw new IllegalArgumentException("puk is not 8 digits");
    }
    return puk;
  }

  /** 1-24 characters without quotes. */
  public static String operatorName(String name) {
    if (name.isEmpty() || name.length() > 24 || name.contains("\"")) {
      throw new IllegalArgumentException(
          "operatorName '" + name + "' must be 1-24 characters without quotes");
    }
    return name;
  }

  /** 0 GSM, 2 UMTS, 7 LTE. */
  public static int accessTechnology(int act) {
    if (act != 0 && act != 2 && act != 7) {
      throw new IllegalArgumentException(
          "accessTechnology " + act + " is not accepted; use 0 (GSM), 2 (UMTS) or 7 (LTE)");
    }
    return act;
  }

  /** A dotted IPv4 address. */
  public static String ipAddress(String ip) {
    if (!ip.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
      throw new IllegalArgumentException("ipAddress '" + ip + "' is not a dotted IPv4 address");
    }
    return ip;
  }

  /** 50 ms to 5 s. */
  public static Duration guardTime(Duration d) {
    if (d.compareTo(Duration.ofMillis(50)) < 0 || d.compareTo(Duration.ofSeconds(5)) > 0) {
      throw new IllegalArgumentException(
          "guardTime " + d.toMillis() + " ms is not accepted; use 50 ms to 5 s");
    }
    return d;
  }

  /** {@code CONNECT} or {@code CONNECT <baud>}. */
  public static String sim7600Connect(String text) {
    if (!text.matches("CONNECT( [0-9]+)?")) {
      throw new IllegalArgumentException(
          "sim7600Connect '" + text + "' is not accepted; use CONNECT or CONNECT <baud>");
    }
    return text;
  }

  /** {@code min} to {@code max} digits. */
  public static String digits(String key, String v, int min, int max) {
    if (!v.matches("[0-9]{" + min + "," + max + "}")) {
      throw new IllegalArgumentException(
          key + " '" + v + "' is not accepted; use " + min + "-" + max + " digits");
    }
    return v;
  }

  /** {@code min} to {@code max}. */
  public static int range(String key, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          key + " " + v + " is not accepted; use " + min + " to " + max);
    }
    return v;
  }

  /** 0-31, or 99 for unknown. */
  public static int rssi(int rssi) {
    if ((rssi < 0 || rssi > 31) && rssi != 99) {
      throw new IllegalArgumentException(
          "rssi " + rssi + " is not accepted; use 0-31, or 99 for unknown");
    }
    return rssi;
  }

  /** 0 (unlimited) or at least 1200 bit/s. */
  public static long bps(long bps) {
    if (bps < 0 || (bps > 0 && bps < 1200)) {
      throw new IllegalArgumentException(
          "link bit rate " + bps + " is not accepted; use 0 (unlimited) or at least 1200 bit/s");
    }
    return bps;
  }

  /** Zero or more. */
  public static Duration nonNegative(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative()) {
      throw new IllegalArgumentException(key + " " + d + " is negative; use zero or more");
    }
    return d;
  }
}
