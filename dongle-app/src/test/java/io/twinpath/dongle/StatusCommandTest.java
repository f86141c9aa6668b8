package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code twinpath-dongle status} and {@code modem check} when there is nothing to talk to. */
class StatusCommandTest {
  @TempDir Path dir;

  static String[] run(String... args) {
    CommandLine cl = TwinpathDongle.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void saysWhenNothingRunsThere() throws Exception {
    int port = io.twinpath.testing.FreePorts.pick();
    String[] r = run("status", "--set", "broker.port=" + port, "--set", "data.dir=" + dir);
    assertThat(r[0]).isEqualTo(Integer.toString(TwinpathDongle.EX_UNAVAILABLE));
    assertThat(r[2])
        .contains("cannot read status from tcp://127.0.0.1:" + port)
        .contains("is 'twinpath-dongle run' running?");
  }

  @Test
  void modemCheckSaysWhatToDoWhenThePortIsMissing() {
    String[] r =
        run(
            "modem",
            "check",
            "--set",
            "modem.port=" + dir.resolve("ttyUSB9"),
            "--set",
            "smtp.host=smtp.example.org");
    assertThat(r[0]).isEqualTo(Integer.toString(TwinpathDongle.EX_UNAVAILABLE));
    assertThat(r[1])
        .contains("1. port          FAIL: " + dir.resolve("ttyUSB9") + " does not exist")
        .contains("What to do: plug the modem in")
        .contains("2. SIM           SKIPPED: not checked: an earlier step failed")
        .contains("Not ready: the port step failed.");
  }
}
