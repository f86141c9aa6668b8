package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.event.TwinpathListener;
import io.twinpath.dongle.internal.BrokerWatch;
import io.twinpath.testing.FreePorts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dongle notices its embedded broker no longer answering and starts it again. */
class BrokerWatchIT {
  @TempDir Path dir;

  @Test
  void restartsAWedgedBrokerOnTheSamePort() throws Exception {
    int port = FreePorts.pick();
    Path persistence = dir.resolve("paho");
    // what a host killed with a message in flight leaves on its disk
    ResentPublish.leave(port, "twinpath-laptop", persistence, "twinpath/dongle/inbox");
    DongleConfig c =
        DongleConfig.fromMap(
            Map.of(
                "broker.port", Integer.toString(port),
                "data.dir", dir.resolve("state").toString()),
            Map.of("HOME", dir.toString()));
    List<String> restarts = new CopyOnWriteArrayList<>();
    TwinpathListener listener =
        new TwinpathListener() {
          @Override
          public void brokerRestarted(String url, String reason) {
            restarts.add(url + " " + reason);
          }
        };
    try (Secondary s = Secondary.start(c, Clock.systemUTC(), listener)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> s.healthJson().contains("\"clients\":1"));
      long wedgedAt = System.nanoTime();
      // a client that sends its message again with the DUP flag, as the Paho default does
      MqttAsyncClient laptop = ResentPublish.resend(s.brokerUrl(), "twinpath-laptop", persistence);

      await().atMost(Duration.ofSeconds(20)).until(() -> !restarts.isEmpty());
      long restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wedgedAt);
      assertThat(restarts.get(0))
          .startsWith("tcp://127.0.0.1:" + port + " accepts connections but does not answer")
          .contains("increment");
      assertThat(restartMs).isLessThan(10_000);

      // the same port answers again, on every session thread, and carries messages
      String sameThread = ResentPublishIT.sameSessionThread("twinpath-laptop", "again-");
      MqttClient probe = new MqttClient(s.brokerUrl(), sameThread, new MemoryPersistence());
      probe.setTimeToWait(10_000);
      probe.connect();
      probe.disconnect();
      probe.close();
      assertThat(s.healthJson()).contains("\"restarts\":1").contains("increment");
      // the dongle's own link is back
      await().atMost(Duration.ofSeconds(20)).until(() -> s.healthJson().contains("\"clients\":1"));
      laptop.disconnectForcibly(0, 100, false);
      laptop.close(true);
      assertThat(restarts).hasSize(1);
    }
  }

  @Test
  void restartsABrokerWhoseSessionThreadsEndedQuietly() throws Exception {
    DongleConfig c =
        DongleConfig.fromMap(
            Map.of("broker.port", "0", "data.dir", dir.resolve("state").toString()),
            Map.of("HOME", dir.toString()));
    List<String> restarts = new CopyOnWriteArrayList<>();
    TwinpathListener listener =
        new TwinpathListener() {
          @Override
          public void brokerRestarted(String url, String reason) {
            restarts.add(reason);
          }
        };
    try (BrokerWatch watch =
        BrokerWatch.start(
            c.broker(),
            "probe-",
            listener,
            Clock.systemUTC(),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            2)) {
      int port = Integer.parseInt(watch.url().substring(watch.url().lastIndexOf(':') + 1));
      // an interrupted session thread ends without an error to report: only probes notice
      Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("Session Executor"))
          .forEach(Thread::interrupt);

      await().atMost(Duration.ofSeconds(20)).until(() -> !restarts.isEmpty());
      assertThat(restarts.get(0))
          .isEqualTo("accepts connections but does not answer MQTT CONNECT within 1 s");
      assertThat(watch.url()).endsWith(":" + port);
      MqttClient client = new MqttClient(watch.url(), "after-restart", new MemoryPersistence());
      client.setTimeToWait(10_000);
      client.connect();
      client.disconnect();
      client.close();
      assertThat(watch.restarts()).isEqualTo(1);
      assertThat(watch.lastRestart()).contains("does not answer MQTT CONNECT");
    }
  }
}
