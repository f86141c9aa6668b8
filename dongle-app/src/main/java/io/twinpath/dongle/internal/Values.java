package io.twinpath.dongle.internal;

import io.twinpath.dongle.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for configuration value syntaxes; each failure names the key, value and the syntax. */
public final class Values {
  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h|d)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,12})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern LITERAL_IP =
      Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(%[\\w.]+)?");

  private Values() {}

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30S}). */
  public static Duration duration(String key, String value, Duration min, Duration max) {
    String accepted =
        "use a duration like 30s, 5m, 2h, 1d or 500ms, from " + human(min) + " to " + human(max);
    Duration d;
    Matcher m = DURATION.matcher(value.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms":
          d = Duration.ofMillis(n);
          break;
        case "s":
          d = Duration.ofSeconds(n);
          break;
        case "m":
        case "min":
          d = Duration.ofMinutes(n);
          break;
        case "h":
          d = Duration.ofHours(n);
          break;
        default:
          d = Duration.ofDays(n);
      }
    } else {
      try {
        d = Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new ConfigException(key, value, accepted);
      }
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ConfigException(key, value, accepted);
    }
    return d;
  }

  /** A duration as the config syntax writes it. */
  public static String human(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s % 86400 == 0 && s > 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0 && s > 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s > 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /** Bytes: {@code 262144}, {@code 256KB}, {@code 64MB}, {@code 2GB} (binary units, 1KB = 1024). */
  public static long size(String key, String value, long min, long max) {
    String accepted =
        "use a size like 512KB, 256MB or 2GB (1KB = 1024 bytes), from "
            + humanSize(min)
            + " to "
            + humanSize(max);
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new ConfigException(key, value, accepted);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor;
    switch (unit.charAt(0)) {
      case 'k':
        factor = 1L << 10;
        break;
      case 'm':
        factor = 1L << 20;
        break;
      case 'g':
        factor = 1L << 30;
        break;
      default:
        factor = 1;
    }
    if (n > max / factor + 1 || n * factor < min || n * factor > max) {
      throw new ConfigException(key, value, accepted);
    }
    return n * factor;
  }

  public static String humanSize(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return bytes / (1L << 30) + "GB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return bytes / (1L << 20) + "MB";
    }
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
      return bytes / (1L << 10) + "KB";
    }
    return bytes + " bytes";
  }

  public static int integer(String key, String value, int min, int max, String what) {
    String accepted = "use " + what + " (" + min + "-" + max + ")";
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new ConfigException(key, value, accepted);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, accepted);
    }
  }

  public static boolean bool(String key, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "on":
        return true;
      case "false":
      case "no":
      case "off":
        return false;
      default:
        throw new ConfigException(key, value, "use true or false");
    }
  }

  /** A literal IPv4 or IPv6 address (no host names: nothing is looked up at start). */
  public static InetAddress ipAddress(String key, String value) {
    String accepted = "use a literal IP address such as 127.0.0.1, 0.0.0.0, 192.168.7.1 or ::1";
    String v = value.trim();
    if (v.isEmpty() || !LITERAL_IP.matcher(v).matches()) {
      throw new ConfigException(key, value, accepted);
    }
    try {
      return InetAddress.getByName(v);
    } catch (UnknownHostException e) {
      throw new ConfigException(key, value, accepted);
    }
  }

  /** A DNS host name or literal address, not resolved. */
  public static String hostName(String key, String value) {
    String v = value.trim();
    if (v.isEmpty()
        || v.length() > 253
        || !v.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9a-fA-F:.]+\\]|[0-9a-fA-F:.]+")
        || v.contains("..")) {
      throw new ConfigException(
          key, value, "use a host name like smtp.example.org or an IP address");
    }
    return v;
  }
}
