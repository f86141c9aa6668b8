package io.twinpath.modemsim.internal;

import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.RegistrationState;
import io.twinpath.modemsim.SimCardState;
import io.twinpath.modemsim.SimConfig;
import java.util.Arrays;

/**
 * The SIM card, the radio function ({@code +CFUN}), the network registration with its URCs, the
 * signal and the data service. Loop thread only.
 */
final class RadioState {
  private final ModemCore core;
  private final SimConfig config;
  private SimCardState sim = SimCardState.READY;
  private boolean simInserted;
  private int pinAttempts;
  private RegistrationState registration;
  private boolean dataService;
  private int cfun = 1;
  private final int[] regUrcMode = new int[3]; // CREG, CGREG, CEREG
  private int rssi;

  RadioState(ModemCore core, SimConfig config) {
    this.core = core;
    this.config = config;
    this.simInserted = config.simInserted();
    this.registration = config.registration();
    this.dataService = config.dataService();
    this.rssi = config.rssi();
  }

  /** Power-on state: radio on, no registration URCs, the SIM as inserted and configured. */
  void boot() {
    cfun = 1;
    Arrays.fill(regUrcMode, 0);
    sim =
        !simInserted
            ? SimCardState.NOT_INSERTED
            : config.pin() != null ? SimCardState.SIM_PIN : SimCardState.READY;
    pinAttempts = 0;
  }

  int rssi() {
    return rssi;
  }

  void setRssi(int value) {
    rssi = value;
  }

  int cfun() {
    return cfun;
  }

  SimCardState sim() {
    return sim;
  }

  boolean dataService() {
    return dataService;
  }

  void setDataService(boolean available) {
    dataService = available;
  }

  /** The registration the modem reports now. */
  RegistrationState effectiveRegistration() {
    if (sim != SimCardState.READY || cfun != 1) {
      return RegistrationState.NOT_REGISTERED;
    }
    return registration;
  }

  int regUrcMode(int which) {
    return regUrcMode[which];
  }

  void setRegUrcMode(int which, int n) {
    regUrcMode[which] = n;
  }

  /** Fails with the CME error for the SIM state unless the SIM is ready. */
  void requireSim() throws AtError {
    switch (sim) {
      case READY -> {}
      case NOT_INSERTED -> throw AtError.cme(10);
      case SIM_PIN -> throw AtError.cme(11);
      case SIM_PUK -> throw AtError.cme(12);
    }
  }

  /** {@code AT+CPIN=...}. */
  void enterPin(AtCommand c) throws AtError {
    String first = c.str(0);
    switch (sim) {
      case NOT_INSERTED -> throw AtError.cme(10);
      case READY -> throw AtError.cme(3);
      case SIM_PIN -> {
        String pin = config.pin();
        if (pin != null && pin.equals(first)) {
          pinAttempts = 0;
          simBecomesReady();
        } else {
          pinAttempts++;
          if (pinAttempts >= 3) {
            sim = SimCardState.SIM_PUK;
          }
          throw AtError.cme(16);
        }
      }
      case SIM_PUK -> {
        if (config.puk().equals(first) && c.has(1)) {
          pinAttempts = 0;
          simBecomesReady();
        } else {
          throw AtError.cme(16);
        }
      }
    }
  }

  private void simBecomesReady() {
    RegistrationState before = effectiveRegistration();
    sim = SimCardState.READY;
    core.loop()
        .execute(
            () -> {
              if (core.dialect() == Dialect.SIM7600) {
                core.urc("SMS DONE");
                core.urc("PB DONE");
              }
              registrationChanged(before);
            });
  }

  void setCfun(int v) {
    RegistrationState before = effectiveRegistration();
    cfun = v;
    if (v != 1 && core.data().contextActive()) {
      core.data().reset();
    }
    core.loop().execute(() -> registrationChanged(before));
  }

  /** The SIM card is inserted or pulled out. */
  void setSimInserted(boolean inserted) {
    RegistrationState before = effectiveRegistration();
    simInserted = inserted;
    if (!inserted) {
      sim = SimCardState.NOT_INSERTED;
    } else if (sim == SimCardState.NOT_INSERTED) {
      sim = config.pin() != null ? SimCardState.SIM_PIN : SimCardState.READY;
    }
    registrationChanged(before);
  }

  void setRegistration(RegistrationState state) {
    RegistrationState before = effectiveRegistration();
    registration = state;
    registrationChanged(before);
  }

  /** Prints the registration URCs when what the modem reports changed since {@code before}. */
  void registrationChanged(RegistrationState before) {
    RegistrationState now = effectiveRegistration();
    if (now == before) {
      return;
    }
    String[] names = {"+CREG", "+CGREG", "+CEREG"};
    for (int i = 0; i < 3; i++) {
      if (regUrcMode[i] == 1) {
        core.urc(names[i] + ": " + now.code());
      } else if (regUrcMode[i] >= 2) {
        core.urc(names[i] + ": " + now.code() + registrationDetail(i, now));
      }
    }
    if (!now.registered() && before.registered() && core.data().contextActive()) {
      core.data().contextLost();
    }
  }

  /** {@code ,<lac>,<ci>[,<act>]} when registered, "" otherwise. */
  String registrationDetail(int which, RegistrationState state) {
    if (!state.registered()) {
      return "";
    }
    String act = which == 0 ? "" : "," + config.accessTechnology();
    return ",\"1A2B\",\"01A2B3C4\"" + act;
  }
}
