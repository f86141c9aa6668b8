package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code twinpath-dongle status} reads the same retained topics any MQTT client can. */
class StatusCommandTest {
  @TempDir Path dir;

  private String[] run(String... args) {
    CommandLine cl = TwinpathDongle.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void showsTheRunningSecondaryAsTextAndJson() throws Exception {
    Path conf = dir.resolve("dongle.conf");
    Files.writeString(
        conf,
        "broker.port = 0\nbroker.username = u\nbroker.password = p\ndata.dir = "
            + dir.resolve("state")
            + "\n");
    try (Secondary s =
        Secondary.start(
            DongleConfig.load(conf, Map.of("HOME", dir.toString())), Clock.systemUTC())) {
      String port = s.brokerUrl().substring(s.brokerUrl().lastIndexOf(':') + 1);
      String[] text = run("status", "--config", conf.toString(), "--set", "broker.port=" + port);
      assertThat(text[0]).as(text[2]).isEqualTo("0");
      assertThat(text[1])
          .contains("dongle: running")
          .contains("broker   embedded " + s.brokerUrl())
          .contains("password required")
          .contains("peers    laptop")
          .contains("path     none")
          .contains("queue    0 items")
          .contains("devices  dongle online");
      String[] json =
          run("status", "--json", "--config", conf.toString(), "--set", "broker.port=" + port);
      assertThat(json[0]).as(json[2]).isEqualTo("0");
      assertThat(json[1])
          .contains("\"health\"")
          .contains("\"status\"")
          .contains("\"device\": \"dongle\"")
          .contains("\"states\"")
          .contains("\"state\": \"online\"");
    }
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
