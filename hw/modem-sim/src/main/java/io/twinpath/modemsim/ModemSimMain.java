package io.twinpath.modemsim;

import java.io.IOException;

/** {@code java -jar twinpath-modem-sim.jar <tty>}: serves a simulated modem on a tty. */
public final class ModemSimMain {
  private ModemSimMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: twinpath-modem-sim <tty, e.g. a socat pty link>");
      System.exit(64);
    }
    try (ModemSimulator sim = ModemSimulator.attach(args[0])) {
      Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
      System.out.println("modem simulator listening on " + args[0]);
      sim.run();
    }
  }
}
