package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.DeviceId;
import io.twinpath.dongle.internal.DongleDaemon;
import io.twinpath.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

class DongleDaemonTest {
  @Test
  void startsItsEmbeddedBrokerAndRetainsItsState() throws Exception {
    int port = FreePorts.pick();
    try (DongleDaemon daemon =
        DongleDaemon.startEmbedded("127.0.0.1", port, DeviceId.of("dongle"), Clock.systemUTC())) {
      assertThat(daemon.brokerUrl()).isEqualTo("tcp://127.0.0.1:" + port);
      MqttClient reader = new MqttClient(daemon.brokerUrl(), "reader", new MemoryPersistence());
      reader.connect();
      CompletableFuture<String> state = new CompletableFuture<>();
      reader.subscribe(
          "twinpath/dongle/state",
          1,
          (t, m) -> state.complete(new String(m.getPayload(), StandardCharsets.UTF_8)));
      assertThat(state.get(10, TimeUnit.SECONDS))
          .contains("\"state\":\"online\"")
          .contains("\"role\":\"secondary\"");
      reader.disconnect();
      reader.close();
    }
  }
}
