package io.twinpath.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A clean close leaves the device's retained state offline, as an operator must see it. */
class MqttLinkCloseIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;

  @Test
  void aCleanCloseLeavesTheRetainedStateOffline() throws Exception {
    DeviceId device = DeviceId.of("closing");
    MqttLink link =
        MqttLink.start(
            LinkSettings.builder()
                .brokerUrl(mqtt.url())
                .device(device)
                .role("secondary")
                .dataDir(dir)
                .build(),
            Clock.systemUTC(),
            (topic, payload, dup) -> {});
    await().atMost(Duration.ofSeconds(10)).until(link::isConnected);
    // the link subscribes to every device's state, its own included: it hears its own goodbye
    link.close();

    AtomicReference<String> retained = new AtomicReference<>("");
    MqttClient observer = new MqttClient(mqtt.url(), "observer", new MemoryPersistence());
    observer.connect();
    try {
      observer.subscribe(
          Topics.state(device),
          1,
          (t, m) -> retained.set(new String(m.getPayload(), StandardCharsets.UTF_8)));
      await().atMost(Duration.ofSeconds(10)).until(() -> retained.get().contains("\"state\""));
      // nothing answers the goodbye with "online" after the close
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> retained.get().contains("\"state\":\"offline\""));
      assertThat(retained.get()).contains("\"device\":\"closing\"");
    } finally {
      observer.disconnect();
      observer.close();
    }
  }

  @Test
  void anOnlineQueuedBeforeTheCloseNeverFollowsTheOfflineAnnouncement() throws Exception {
    DeviceId device = DeviceId.of("returning");
    MqttClient observer = new MqttClient(mqtt.url(), "observer2", new MemoryPersistence());
    observer.connect();
    try {
      for (int round = 0; round < 5; round++) {
        // the retained state says offline (the previous run's goodbye): the link answers it with
        // "online" as soon as it connects, and is closed at that very moment
        observer.publish(
            Topics.state(device),
            ("{\"device\":\"returning\",\"state\":\"offline\",\"conn\":" + round + "}")
                .getBytes(StandardCharsets.UTF_8),
            1,
            true);
        java.util.Queue<String> heard = new java.util.concurrent.ConcurrentLinkedQueue<>();
        MqttLink link =
            MqttLink.start(
                LinkSettings.builder()
                    .brokerUrl(mqtt.url())
                    .device(device)
                    .role("host")
                    .dataDir(dir.resolve("r" + round))
                    .build(),
                Clock.systemUTC(),
                (topic, payload, dup) -> {
                  if (topic.equals(Topics.state(device))) {
                    heard.add(new String(payload, StandardCharsets.UTF_8));
                  }
                });
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> heard.stream().anyMatch(h -> h.contains("offline")));
        link.close();

        AtomicReference<String> retained = new AtomicReference<>("");
        MqttClient reader = new MqttClient(mqtt.url(), "reader" + round, new MemoryPersistence());
        reader.connect();
        try {
          reader.subscribe(
              Topics.state(device),
              1,
              (t, m) -> retained.set(new String(m.getPayload(), StandardCharsets.UTF_8)));
          await().atMost(Duration.ofSeconds(10)).until(() -> retained.get().contains("state"));
          assertThat(retained.get()).as("round %d", round).contains("\"state\":\"offline\"");
        } finally {
          reader.disconnect();
          reader.close();
        }
      }
    } finally {
      observer.publish(Topics.state(device), new byte[0], 1, true);
      observer.disconnect();
      observer.close();
    }
  }
}
