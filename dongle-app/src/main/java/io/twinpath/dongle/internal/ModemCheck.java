package io.twinpath.dongle.internal;

import io.twinpath.dongle.DongleConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code twinpath-dongle modem check}: walks through port, SIM and PIN, signal, registration, data
 * context and a test connection to the SMTP server, and says in words what is wrong.
 */
public final class ModemCheck {
  static final List<String> STEPS =
      List.of("port", "SIM", "signal", "registration", "data", "SMTP server");

  private final DongleConfig config;
  private final CheckReport report;

  public ModemCheck(DongleConfig config, PrintWriter out) {
    this.config = config;
    this.report = new CheckReport(out);
  }

  /** Runs every step it can; stops at the first failure. */
  public CheckReport run() {
    String port = config.modem().port();
    if (port == null) {
      report.fail(
          "port",
          "no modem is configured",
          "set modem.port in the config file to the modem's AT port, e.g. /dev/ttyUSB2 for a USB"
              + " dongle (interface 2) or /dev/ttyS0 for a HAT; 'ls -l /dev/serial/by-id/' lists"
              + " the candidates");
      skipRest(1);
      return report;
    }
    if (!portUsable(Path.of(port))) {
      skipRest(1);
      return report;
    }
    report.ok("port", port + " exists and can be opened");
    for (int i = 1; i < STEPS.size(); i++) {
      report.skipped(STEPS.get(i), "this build cannot talk to the modem yet");
    }
    return report;
  }

  private boolean portUsable(Path p) {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
      report.fail(
          "port",
          p + " does not exist",
          "plug the modem in and wait a few seconds; 'ls /dev/ttyUSB* /dev/serial/by-id/' shows"
              + " the ports it created. USB modems expose several; the AT port is usually the"
              + " third (interface 2, e.g. /dev/ttyUSB2)");
      return false;
    }
    if (!Files.isReadable(p) || !Files.isWritable(p)) {
      report.fail(
          "port",
          p + " exists but this user may not open it",
          "add the user to the group that owns it (usually dialout: 'sudo usermod -aG dialout "
              + System.getProperty("user.name", "$USER")
              + "', then log in again)");
      return false;
    }
    return true;
  }

  private void skipRest(int from) {
    for (int i = from; i < STEPS.size(); i++) {
      report.skipped(STEPS.get(i), "not checked: an earlier step failed");
    }
  }
}
