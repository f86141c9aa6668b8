package io.twinpath.hw.modem.internal;

import io.twinpath.hw.modem.ModemDialect;

/** The one place that maps a dialect name to its implementation. */
public final class Dialects {
  private Dialects() {}

  public static Dialect of(ModemDialect d) {
    return switch (d) {
      case SIM7600 -> new Sim7600Dialect();
      case EC25 -> new QuectelDialect();
    };
  }

  /** The module's power key and reset pulse lengths and its start and shutdown times. */
  public static PowerTimings power(ModemDialect d) {
    return switch (d) {
      case SIM7600 -> Sim7600Dialect.POWER;
      case EC25 -> QuectelDialect.POWER;
    };
  }
}
