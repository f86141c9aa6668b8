package io.twinpath.hw.modem;

import io.twinpath.hw.modem.internal.Dialects;
import io.twinpath.hw.power.PowerConfig;

/** The AT command families the driver speaks. */
public enum ModemDialect {
  /** SIMCom SIM7600 series: NETOPEN / CIPOPEN / CIPSEND / CIPRXGET (pull), non-transparent. */
  SIM7600,
  /**
   * Quectel EC25 / EG25 / BG9x: QICSGP / QIACT / QIOPEN / QISEND / QIRD (buffer mode), and access
   * mode 2 (transparent).
   */
  EC25;

  /**
   * Starts the GPIO wiring of a module of this kind: the power key on BCM line {@code powerKeyPin},
   * with the module's pulse lengths and its boot and shutdown times.
   *
   * @throws IllegalArgumentException when the pin is not a BCM GPIO number
   */
  public PowerConfig.Builder power(int powerKeyPin) {
    return Dialects.power(this).applyTo(PowerConfig.builder(powerKeyPin));
  }
}
