package io.twinpath.modemsim;

import java.util.Locale;

/** The AT dialect the simulator speaks. */
public enum Dialect {
  /** SIMCom SIM7600 family: NETOPEN / CIPOPEN / CIPSEND / CIPRXGET. */
  SIM7600,
  /** Quectel EC25 family: QICSGP / QIACT / QIOPEN / QISEND / QIRD. */
  EC25;

  /**
   * Parses {@code sim7600} or {@code ec25} (any case).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Dialect parse(String value) {
    for (Dialect d : values()) {
      if (d.name().equalsIgnoreCase(value.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException("dialect '" + value + "' is not known; use sim7600 or ec25");
  }

  /** The lower-case name used on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
