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
class MqttLinkCloseTest {
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
}
