package io.twinpath.dongle;

import static org.awaitility.Awaitility.await;

import io.twinpath.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/**
 * What a kill -9 leaves behind: a QoS 1 message in Paho's file persistence that no broker
 * acknowledged. {@link #leave} puts it there (published to a {@link SilentBroker} on the port the
 * real broker takes next); {@link #resend} connects with the same client id, persistence and URL,
 * so Paho sends it again with the DUP flag, as every client does after a reconnect.
 */
final class ResentPublish {
  private ResentPublish() {}

  static void leave(int port, String clientId, Path persistence, String topic) throws Exception {
    String url = "tcp://127.0.0.1:" + port;
    try (SilentBroker silent = new SilentBroker(port)) {
      MqttAsyncClient c =
          new MqttAsyncClient(
              url, clientId, new MqttDefaultFilePersistence(persistence.toString()));
      c.connect(options()).waitForCompletion(10_000);
      c.publish(topic, "left in flight".getBytes(StandardCharsets.UTF_8), 1, false);
      await().atMost(Duration.ofSeconds(10)).until(() -> silent.publishes() >= 1);
      c.disconnectForcibly(0, 100, false);
      c.close(true);
    }
    // the broker that comes next listens on this same port
    FreePorts.awaitBindable(port);
  }

  /** Connects the way a restarted client does; Paho sends the message again at once. */
  static MqttAsyncClient resend(String url, String clientId, Path persistence) throws Exception {
    MqttAsyncClient c =
        new MqttAsyncClient(url, clientId, new MqttDefaultFilePersistence(persistence.toString()));
    c.connect(options()).waitForCompletion(10_000);
    return c;
  }

  private static MqttConnectOptions options() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setKeepAliveInterval(60);
    return o;
  }
}
