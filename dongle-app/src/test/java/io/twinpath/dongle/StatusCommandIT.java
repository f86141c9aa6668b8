package io.twinpath.dongle;

import static io.twinpath.dongle.StatusCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code twinpath-dongle status} reads the same retained topics any MQTT client can. */
class StatusCommandIT {
  @TempDir Path dir;

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
}
