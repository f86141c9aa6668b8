package io.twinpath.hw.modem;

/** The AT command families the driver speaks. */
public enum ModemDialect {
  /** SIMCom SIM7600 series: NETOPEN / CIPOPEN / CIPSEND / CIPRXGET (pull), non-transparent. */
  SIM7600,
  /**
   * Quectel EC25 / EG25 / BG9x: QICSGP / QIACT / QIOPEN / QISEND / QIRD (buffer mode), and access
   * mode 2 (transparent).
   */
  EC25
}
