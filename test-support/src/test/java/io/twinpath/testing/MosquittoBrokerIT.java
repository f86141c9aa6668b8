package io.twinpath.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MosquittoBrokerIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  private static MqttClient client(String id) throws MqttException {
    MqttClient c = new MqttClient(mqtt.url(), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    c.connect(o);
    return c;
  }

  private static String retainedValue(String topic) throws Exception {
    MqttClient sub = client("reader-" + System.nanoTime());
    try {
      CompletableFuture<String> got = new CompletableFuture<>();
      sub.subscribe(
          topic, 1, (t, m) -> got.complete(new String(m.getPayload(), StandardCharsets.UTF_8)));
      return got.get(10, TimeUnit.SECONDS);
    } finally {
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void brokerRunsOnLoopbackAndCarriesMessages() throws Exception {
    assertThat(mqtt.url()).startsWith("tcp://127.0.0.1:");
    MqttClient pub = client("writer");
    pub.publish("t/a", "hello".getBytes(StandardCharsets.UTF_8), 1, true);
    pub.disconnect();
    pub.close();
    assertThat(retainedValue("t/a")).isEqualTo("hello");
  }

  @Test
  void retainedMessagesSurviveARestartOnTheSamePort() throws Exception {
    int port = mqtt.broker().port();
    MqttClient pub = client("writer2");
    pub.publish("t/keep", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
    pub.disconnect();
    pub.close();

    mqtt.broker().restart();

    assertThat(mqtt.broker().port()).isEqualTo(port);
    assertThat(mqtt.broker().isRunning()).isTrue();
    assertThat(retainedValue("t/keep")).isEqualTo("kept");
  }
}
