package io.twinpath.hw.modem.sim;

import io.twinpath.hw.modem.Modem;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.serial.SerialBytePipe;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.testing.PtyPair;
import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** The driver on one end of a real pty pair, the simulator on the other. */
final class SimModem implements AutoCloseable {
  /** Short guard times keep +++ quick; both sides agree on them. */
  static final Duration GUARD = Duration.ofMillis(200);

  final PtyPair pty;
  final ModemSimulator sim;
  final Modem modem;

  private SimModem(PtyPair pty, ModemSimulator sim, Modem modem) {
    this.pty = pty;
    this.sim = sim;
    this.modem = modem;
  }

  /** The simulator's name for a driver dialect. */
  static Dialect simDialect(ModemDialect d) {
    return d == ModemDialect.SIM7600 ? Dialect.SIM7600 : Dialect.EC25;
  }

  static SimModem start(ModemDialect dialect, boolean transparent) throws IOException {
    return start(dialect, transparent, b -> b, b -> b);
  }

  static SimModem start(
      ModemDialect dialect,
      boolean transparent,
      UnaryOperator<SimConfig.Builder> simConfig,
      UnaryOperator<ModemConfig.Builder> modemConfig)
      throws IOException {
    PtyPair pty = PtyPair.open();
    ModemSimulator sim = null;
    try {
      sim =
          ModemSimulator.attach(
              pty.b().toString(),
              simConfig.apply(SimConfig.builder(simDialect(dialect)).guardTime(GUARD)).build());
      ModemConfig cfg =
          modemConfig
              .apply(
                  ModemConfig.builder()
                      .apn("internet")
                      .transparent(transparent)
                      .guardTime(GUARD)
                      .registrationTimeout(Duration.ofSeconds(20))
                      .connectTimeout(Duration.ofSeconds(20)))
              .build();
      Modem modem =
          Modem.open(SerialBytePipe.open(SerialSettings.of(pty.a().toString())), dialect, cfg);
      return new SimModem(pty, sim, modem);
    } catch (IOException | RuntimeException e) {
      if (sim != null) {
        sim.close();
      }
      pty.close();
      throw e;
    }
  }

  @Override
  public void close() {
    modem.close();
    sim.close();
    pty.close();
  }
}
