package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code twinpath-dongle run} as a real process, the way systemd runs it. */
class DongleProcessIT {
  private static final Pattern RUNNING = Pattern.compile("running; broker (tcp://\\S+);");

  /**
   * Starts the dongle in a child JVM with an empty home (no config file anywhere); its output goes
   * to {@code home/out.log}.
   */
  static Process start(Path home, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                TwinpathDongle.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(home.resolve("out.log").toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    pb.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
    pb.environment().remove("STATE_DIRECTORY");
    return pb.start();
  }

  static String output(Path home) throws java.io.IOException {
    Path log = home.resolve("out.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  @Test
  void startsOnDefaultsRetainsStatusAndStopsCleanlyOnSigterm(@TempDir Path home) throws Exception {
    Process p = start(home, "run", "--broker-port", "0");
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> RUNNING.matcher(output(home)).find() || !p.isAlive());
      Matcher running = RUNNING.matcher(output(home));
      assertThat(running.find()).as(output(home)).isTrue();
      String broker = running.group(1);
      assertThat(output(home)).contains("config built-in defaults");
      MqttClient client = new MqttClient(broker, "test-reader", new MemoryPersistence());
      client.connect();
      List<String> states = new CopyOnWriteArrayList<>();
      CompletableFuture<String> status = new CompletableFuture<>();
      client.subscribe(
          "twinpath/dongle/state",
          1,
          (t, m) -> states.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
      Instant subscribed = Instant.now();
      client.subscribe(
          "twinpath/dongle/health",
          1,
          (t, m) -> status.complete(new String(m.getPayload(), StandardCharsets.UTF_8)));
      CompletableFuture<String> engineStatus = new CompletableFuture<>();
      client.subscribe(
          "twinpath/dongle/status",
          1,
          (t, m) -> engineStatus.complete(new String(m.getPayload(), StandardCharsets.UTF_8)));
      // Published before this client subscribed (stamped earlier): the broker retained it.
      // (Moquette 0.17 clears the retain flag on QoS 1 deliveries, so the flag is not checked.)
      String json = status.get(10, TimeUnit.SECONDS);
      assertThat(json).contains("\"state\":\"running\"").contains("\"role\":\"secondary\"");
      Matcher at = Pattern.compile("\"at\":\"([^\"]+)\"").matcher(json);
      assertThat(at.find()).isTrue();
      assertThat(Instant.parse(at.group(1))).isBefore(subscribed);
      assertThat(engineStatus.get(10, TimeUnit.SECONDS))
          .contains("\"role\":\"secondary\"")
          .contains("\"laptop\"");
      await().atMost(Duration.ofSeconds(30)).until(() -> !states.isEmpty());
      assertThat(states.get(0)).contains("\"state\":\"online\"");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal
      assertThat(p.exitValue()).isEqualTo(143);
      assertThat(output(home)).contains("secondary dongle stopped");
      assertThat(states).anyMatch(s -> s.contains("\"state\":\"offline\""));
      assertThat(Files.exists(home.resolve("config"))).isFalse();
      client.close(true);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aBadConfigFileStopsWithTheKeyTheValueAndWhatIsAccepted(@TempDir Path home) throws Exception {
    Path conf = home.resolve("dongle.conf");
    Files.writeString(conf, "broker.port = 99999\n");
    Process p = start(home, "run", "--config", conf.toString());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = output(home);
    assertThat(p.exitValue()).isEqualTo(TwinpathDongle.EX_CONFIG);
    assertThat(out)
        .contains(
            conf
                + ":1: broker.port = '99999' is not accepted: use a TCP port, 0 for any free port,"
                + " or off (0-65535)");
  }
}
