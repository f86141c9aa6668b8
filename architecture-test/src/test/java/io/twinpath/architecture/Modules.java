package io.twinpath.architecture;

/** The packages of each module, as the rules name them. */
final class Modules {
  static final String ROOT = "io.twinpath";
  static final String CORE = "io.twinpath.core..";
  static final String HW = "io.twinpath.hw..";
  static final String MODEM_SIM = "io.twinpath.modemsim..";
  static final String SECONDARY = "io.twinpath.secondary..";
  static final String HOST = "io.twinpath.host..";
  static final String DONGLE = "io.twinpath.dongle..";
  static final String KURA = "io.twinpath.kura..";
  static final String TEST_SUPPORT = "io.twinpath.testing..";

  private Modules() {}
}
