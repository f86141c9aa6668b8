package io.twinpath.modemsim;

import io.twinpath.testing.PtyPair;
import java.io.IOException;

/** A pty pair, the host-side {@link AtClient} on one end and a simulator on the other. */
final class SimHarness implements AutoCloseable {
  final PtyPair pty;
  final AtClient at;
  final ModemSimulator sim;

  private SimHarness(PtyPair pty, AtClient at, ModemSimulator sim) {
    this.pty = pty;
    this.at = at;
    this.sim = sim;
  }

  /** Attaches and waits for the boot URC {@code RDY} (when the config prints boot URCs). */
  static SimHarness start(SimConfig config) throws IOException {
    PtyPair pty = PtyPair.open();
    AtClient at = new AtClient(pty.a().toString());
    ModemSimulator sim;
    try {
      sim = ModemSimulator.attach(pty.b().toString(), config);
    } catch (IOException | RuntimeException e) {
      at.close();
      pty.close();
      throw e;
    }
    SimHarness h = new SimHarness(pty, at, sim);
    if (config.bootUrcs()) {
      at.expectText("\r\nRDY\r\n");
    }
    return h;
  }

  /** Starts and turns echo off, consuming everything so far. */
  static SimHarness ready(SimConfig config) throws IOException {
    SimHarness h = start(config);
    h.at.send("ATE0");
    h.at.skipAll();
    return h;
  }

  static SimHarness ready(Dialect d) throws IOException {
    return ready(SimConfig.of(d));
  }

  @Override
  public void close() {
    sim.close();
    at.close();
    pty.close();
  }
}
