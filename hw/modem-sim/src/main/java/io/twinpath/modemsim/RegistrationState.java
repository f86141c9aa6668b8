package io.twinpath.modemsim;

import java.util.Locale;

/** Network registration status as reported by {@code +CREG/+CGREG/+CEREG} (3GPP 27.007). */
public enum RegistrationState {
  NOT_REGISTERED(0),
  HOME(1),
  SEARCHING(2),
  DENIED(3),
  UNKNOWN(4),
  ROAMING(5);

  private final int code;

  RegistrationState(int code) {
    this.code = code;
  }

  /** The {@code <stat>} number. */
  public int code() {
    return code;
  }

  /** True for home and roaming: the modem can send SMS and open data contexts. */
  public boolean registered() {
    return this == HOME || this == ROAMING;
  }

  /**
   * Parses a name such as {@code home}, {@code roaming} or {@code not_registered} (also {@code
   * none}).
   */
  public static RegistrationState parse(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    if (v.equals("NONE")) {
      return NOT_REGISTERED;
    }
    for (RegistrationState s : values()) {
      if (s.name().equals(v)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "registration '"
            + value
            + "' is not known; use home, roaming, searching, denied, unknown or none");
  }
}
