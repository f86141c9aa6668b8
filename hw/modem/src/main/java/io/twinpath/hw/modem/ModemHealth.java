package io.twinpath.hw.modem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the modem's state for status topics. Immutable; its fields are plain strings,
 * numbers and booleans so a JSON library can serialise it as is (or use {@link #toMap()}).
 *
 * <p>Registration states are {@code "not registered"}, {@code "home"}, {@code "searching"}, {@code
 * "denied"}, {@code "unknown"}, {@code "roaming"}, or null when the modem did not say.
 */
public final class ModemHealth {
  private final String dialect;
  private final String checkedAt;
  private final @Nullable String sim;
  private final int rssi;
  private final @Nullable Integer signalDbm;
  private final int ber;
  private final @Nullable String csRegistration;
  private final @Nullable String psRegistration;
  private final @Nullable String epsRegistration;
  private final boolean registered;
  private final @Nullable String operator;
  private final @Nullable String accessTechnology;
  private final boolean dataContextUp;
  private final @Nullable String ipAddress;
  private final int openSockets;

  private ModemHealth(Builder b) {
    this.dialect = b.dialect;
    this.checkedAt = b.checkedAt;
    this.sim = b.sim;
    this.rssi = b.rssi;
    this.signalDbm = dbm(b.rssi);
    this.ber = b.ber;
    this.csRegistration = b.csRegistration;
    this.psRegistration = b.psRegistration;
    this.epsRegistration = b.epsRegistration;
    this.registered =
        isRegistered(b.csRegistration)
            || isRegistered(b.psRegistration)
            || isRegistered(b.epsRegistration);
    this.operator = b.operator;
    this.accessTechnology = b.accessTechnology;
    this.dataContextUp = b.dataContextUp;
    this.ipAddress = b.ipAddress;
    this.openSockets = b.openSockets;
  }

  /** dBm for a {@code +CSQ} rssi: -113 + 2·rssi for 0-31; null for 99 (unknown) or out of range. */
  public static @Nullable Integer dbm(int rssi) {
    return rssi >= 0 && rssi <= 31 ? -113 + 2 * rssi : null;
  }

  /** The name of a 3GPP registration stat (0-5), or "stat n" for others. */
  public static String registrationName(int stat) {
    return switch (stat) {
      case 0 -> "not registered";
      case 1 -> "home";
      case 2 -> "searching";
      case 3 -> "denied";
      case 4 -> "unknown";
      case 5 -> "roaming";
      default -> "stat " + stat;
    };
  }

  private static boolean isRegistered(@Nullable String s) {
    return "home".equals(s) || "roaming".equals(s);
  }

  public static Builder builder(String dialect, String checkedAt) {
    return new Builder(dialect, checkedAt);
  }

  public String dialect() {
    return dialect;
  }

  /** When the snapshot was taken, ISO-8601 UTC. */
  public String checkedAt() {
    return checkedAt;
  }

  /** {@code READY}, {@code SIM PIN}, {@code SIM PUK}, {@code NOT INSERTED}, ... or null. */
  public @Nullable String sim() {
    return sim;
  }

  public boolean simReady() {
    return "READY".equals(sim);
  }

  /** {@code +CSQ} rssi 0-31, 99 unknown. */
  public int rssi() {
    return rssi;
  }

  public @Nullable Integer signalDbm() {
    return signalDbm;
  }

  public int ber() {
    return ber;
  }

  public @Nullable String csRegistration() {
    return csRegistration;
  }

  public @Nullable String psRegistration() {
    return psRegistration;
  }

  public @Nullable String epsRegistration() {
    return epsRegistration;
  }

  /** Registered (home or roaming) on any of CS, PS or EPS. */
  public boolean registered() {
    return registered;
  }

  public @Nullable String operator() {
    return operator;
  }

  /** {@code GSM}, {@code UMTS}, {@code LTE}, ... from {@code +COPS}. */
  public @Nullable String accessTechnology() {
    return accessTechnology;
  }

  public boolean dataContextUp() {
    return dataContextUp;
  }

  public @Nullable String ipAddress() {
    return ipAddress;
  }

  public int openSockets() {
    return openSockets;
  }

  /** The same fields as an ordered map (nulls kept), ready for any JSON writer. */
  public Map<String, @Nullable Object> toMap() {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("dialect", dialect);
    m.put("checkedAt", checkedAt);
    m.put("sim", sim);
    m.put("rssi", rssi);
    m.put("signalDbm", signalDbm);
    m.put("ber", ber);
    m.put("csRegistration", csRegistration);
    m.put("psRegistration", psRegistration);
    m.put("epsRegistration", epsRegistration);
    m.put("registered", registered);
    m.put("operator", operator);
    m.put("accessTechnology", accessTechnology);
    m.put("dataContextUp", dataContextUp);
    m.put("ipAddress", ipAddress);
    m.put("openSockets", openSockets);
    return m;
  }

  @Override
  public String toString() {
    return "ModemHealth" + toMap();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ModemHealth h && toMap().equals(h.toMap());
  }

  @Override
  public int hashCode() {
    return Objects.hash(dialect, checkedAt, sim, rssi, operator, ipAddress);
  }

  /** Builds a {@link ModemHealth}. */
  public static final class Builder {
    private final String dialect;
    private final String checkedAt;
    private @Nullable String sim;
    private int rssi = 99;
    private int ber = 99;
    private @Nullable String csRegistration;
    private @Nullable String psRegistration;
    private @Nullable String epsRegistration;
    private @Nullable String operator;
    private @Nullable String accessTechnology;
    private boolean dataContextUp;
    private @Nullable String ipAddress;
    private int openSockets;

    private Builder(String dialect, String checkedAt) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      this.checkedAt = Objects.requireNonNull(checkedAt, "checkedAt");
    }

    public Builder sim(@Nullable String v) {
      sim = v;
      return this;
    }

    public Builder signal(int rssi, int ber) {
      if ((rssi < 0 || rssi > 31) && rssi != 99 && (rssi < 100 || rssi > 199)) {
        throw new IllegalArgumentException(
            "rssi " + rssi + " is not accepted; +CSQ gives 0-31 or 99 (unknown)");
      }
      this.rssi = rssi;
      this.ber = ber;
      return this;
    }

    public Builder csRegistration(@Nullable String v) {
      csRegistration = v;
      return this;
    }

    public Builder psRegistration(@Nullable String v) {
      psRegistration = v;
      return this;
    }

    public Builder epsRegistration(@Nullable String v) {
      epsRegistration = v;
      return this;
    }

    public Builder operator(@Nullable String v) {
      operator = v;
      return this;
    }

    public Builder accessTechnology(@Nullable String v) {
      accessTechnology = v;
      return this;
    }

    public Builder dataContextUp(boolean v) {
      dataContextUp = v;
      return this;
    }

    public Builder ipAddress(@Nullable String v) {
      ipAddress = v;
      return this;
    }

    public Builder openSockets(int v) {
      openSockets = v;
      return this;
    }

    public ModemHealth build() {
      return new ModemHealth(this);
    }
  }
}
