package io.twinpath.hw.modem;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to bring a modem up: APN and login, SIM PIN, data context, socket mode and timeouts.
 * Immutable and validated; a bad value fails with a sentence naming the key, the value and what is
 * accepted. The PIN and password never appear in {@link #toString()}.
 */
public final class ModemConfig {
  /** PDP authentication. */
  public enum Auth {
    NONE,
    PAP,
    CHAP
  }

  private final String apn;
  private final String username;
  private final char[] password;
  private final Auth auth;
  private final char @Nullable [] pin;
  private final int contextId;
  private final boolean transparent;
  private final Duration commandTimeout;
  private final Duration registrationTimeout;
  private final Duration dataTimeout;
  private final Duration connectTimeout;
  private final Duration guardTime;

  private ModemConfig(Builder b) {
    this.apn = b.apn;
    this.username = b.username;
    this.password = b.password.clone();
    this.auth = b.auth;
    this.pin = b.pin == null ? null : b.pin.clone();
    this.contextId = b.contextId;
    this.transparent = b.transparent;
    this.commandTimeout = b.commandTimeout;
    this.registrationTimeout = b.registrationTimeout;
    this.dataTimeout = b.dataTimeout;
    this.connectTimeout = b.connectTimeout;
    this.guardTime = b.guardTime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: no APN (the network's default), no login, no PIN, context 1, buffered sockets. */
  public static ModemConfig defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.apn = apn;
    b.username = username;
    b.password = password.clone();
    b.auth = auth;
    b.pin = pin == null ? null : pin.clone();
    b.contextId = contextId;
    b.transparent = transparent;
    b.commandTimeout = commandTimeout;
    b.registrationTimeout = registrationTimeout;
    b.dataTimeout = dataTimeout;
    b.connectTimeout = connectTimeout;
    b.guardTime = guardTime;
    return b;
  }

  public String apn() {
    return apn;
  }

  public String username() {
    return username;
  }

  /** A copy of the APN password (empty when none). */
  public char[] password() {
    return password.clone();
  }

  public Auth auth() {
    return auth;
  }

  /** A copy of the SIM PIN, or null when none is configured. */
  public char @Nullable [] pin() {
    return pin == null ? null : pin.clone();
  }

  public int contextId() {
    return contextId;
  }

  /** Sockets in transparent mode (Quectel access mode 2) instead of buffered. */
  public boolean transparent() {
    return transparent;
  }

  public Duration commandTimeout() {
    return commandTimeout;
  }

  public Duration registrationTimeout() {
    return registrationTimeout;
  }

  /** How long data context activation (NETOPEN / QIACT) may take. */
  public Duration dataTimeout() {
    return dataTimeout;
  }

  /** How long opening a socket (CIPOPEN / QIOPEN) may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The silence before and after {@code +++}. */
  public Duration guardTime() {
    return guardTime;
  }

  @Override
  public String toString() {
    return "ModemConfig[apn="
        + apn
        + ", username="
        + username
        + ", password="
        + (password.length == 0 ? "none" : "***")
        + ", auth="
        + auth
        + ", pin="
        + (pin == null ? "none" : "***")
        + ", contextId="
        + contextId
        + ", transparent="
        + transparent
        + "]";
  }

  /** Builds a {@link ModemConfig}; each setter checks its value. */
  public static final class Builder {
    private String apn = "";
    private String username = "";
    private char[] password = new char[0];
    private Auth auth = Auth.NONE;
    private char @Nullable [] pin;
    private int contextId = 1;
    private boolean transparent;
    private Duration commandTimeout = Duration.ofSeconds(5);
    private Duration registrationTimeout = Duration.ofSeconds(90);
    private Duration dataTimeout = Duration.ofSeconds(150);
    private Duration connectTimeout = Duration.ofSeconds(60);
    private Duration guardTime = Duration.ofSeconds(1);

    private Builder() {}

    /** The APN; empty means the network's default. Printable ASCII without quotes, ≤ 63. */
    public Builder apn(String apn) {
      this.apn = quotable("modem.apn", apn, 63);
      return this;
    }

    public Builder username(String username) {
      this.username = quotable("modem.username", username, 63);
      return this;
    }

    /** The APN password; kept as a copy, never printed. */
    public Builder password(char[] password) {
      Objects.requireNonNull(password, "password");
      for (char c : password) {
        if (c < 0x20 || c > 0x7e || c == '"') {
          throw new IllegalArgumentException(
              "modem.password contains a character that cannot go in an AT command;"
                  + " accepted: printable ASCII without double quotes");
        }
      }
      if (password.length > 63) {
        throw new IllegalArgumentException(
            "modem.password is " + password.length + " characters long; at most 63 accepted");
      }
      this.password = password.clone();
      return this;
    }

    public Builder auth(Auth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /** The SIM PIN: 4 to 8 digits; kept as a copy, never printed or logged. */
    public Builder pin(char @Nullable [] pin) {
      if (pin != null) {
        boolean digits = pin.length >= 4 && pin.length <= 8;
        for (char c : pin) {
          digits &= c >= '0' && c <= '9';
        }
        if (!digits) {
          throw new IllegalArgumentException(
              "modem.pin (value hidden, "
                  + pin.length
                  + " characters) is not accepted; a SIM PIN is 4 to 8 digits");
        }
      }
      this.pin = pin == null ? null : pin.clone();
      return this;
    }

    /** The PDP context id, 1 to 16. */
    public Builder contextId(int id) {
      if (id < 1 || id > 16) {
        throw new IllegalArgumentException(
            "modem.contextId " + id + " is not accepted; use 1 to 16");
      }
      this.contextId = id;
      return this;
    }

    public Builder transparent(boolean on) {
      this.transparent = on;
      return this;
    }

    public Builder commandTimeout(Duration d) {
      this.commandTimeout = positive("modem.commandTimeout", d, Duration.ofMinutes(5));
      return this;
    }

    public Builder registrationTimeout(Duration d) {
      this.registrationTimeout = positive("modem.registrationTimeout", d, Duration.ofMinutes(30));
      return this;
    }

    public Builder dataTimeout(Duration d) {
      this.dataTimeout = positive("modem.dataTimeout", d, Duration.ofMinutes(10));
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive("modem.connectTimeout", d, Duration.ofMinutes(5));
      return this;
    }

    /** The +++ guard time; the modems want at least 1 s, the simulator accepts less. */
    public Builder guardTime(Duration d) {
      this.guardTime = positive("modem.guardTime", d, Duration.ofSeconds(10));
      return this;
    }

    public ModemConfig build() {
      if (auth != Auth.NONE && username.isEmpty()) {
        throw new IllegalArgumentException(
            "modem.auth is " + auth + " but modem.username is empty; set both or use auth NONE");
      }
      return new ModemConfig(this);
    }

    private static String quotable(String key, String v, int max) {
      Objects.requireNonNull(v, key);
      if (v.length() > max) {
        throw new IllegalArgumentException(
            key + " '" + v + "' is " + v.length() + " characters long; at most " + max);
      }
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c < 0x20 || c > 0x7e || c == '"') {
          throw new IllegalArgumentException(
              key
                  + " '"
                  + v
                  + "' contains a character that cannot go in an AT command;"
                  + " accepted: printable ASCII without double quotes");
        }
      }
      return v;
    }

    private static Duration positive(String key, Duration d, Duration max) {
      Objects.requireNonNull(d, key);
      if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            key + " " + d + " is not accepted; use a positive duration up to " + max);
      }
      return d;
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ModemConfig c
        && apn.equals(c.apn)
        && username.equals(c.username)
        && Arrays.equals(password, c.password)
        && auth == c.auth
        && Arrays.equals(pin, c.pin)
        && contextId == c.contextId
        && transparent == c.transparent
        && commandTimeout.equals(c.commandTimeout)
        && registrationTimeout.equals(c.registrationTimeout)
        && dataTimeout.equals(c.dataTimeout)
        && connectTimeout.equals(c.connectTimeout)
        && guardTime.equals(c.guardTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(apn, username, auth, contextId, transparent);
  }
}
