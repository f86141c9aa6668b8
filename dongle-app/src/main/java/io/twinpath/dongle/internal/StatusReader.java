package io.twinpath.dongle.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.dongle.DongleConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Reads the retained status and state topics from the broker, as {@code mosquitto_sub} would. */
public final class StatusReader {
  private StatusReader() {}

  /** The retained status of {@code config.device()}, with every device's state under "states". */
  public static Optional<JsonObject> read(DongleConfig config, Duration wait)
      throws IOException, MqttException, InterruptedException {
    ScheduledExecutorService timer = PahoThreads.pool("status-reader");
    MqttClient client =
        new MqttClient(
            config.broker().url(),
            config.device().value() + "-status-reader-" + ProcessHandle.current().pid(),
            new MemoryPersistence(),
            timer);
    client.setTimeToWait(15_000);
    try {
      MqttConnectOptions o = BrokerClients.options(config.broker());
      o.setCleanSession(true);
      client.connect(o);
      CountDownLatch got = new CountDownLatch(1);
      JsonObject[] status = new JsonObject[1];
      Map<String, JsonElement> states = new TreeMap<>();
      client.subscribe(
          "twinpath/+/state",
          1,
          (t, m) -> {
            synchronized (states) {
              states.put(t.split("/")[1], parse(m.getPayload()));
            }
          });
      client.subscribe(
          StatusLink.statusTopic(config.device()),
          1,
          (t, m) -> {
            JsonElement e = parse(m.getPayload());
            if (e.isJsonObject()) {
              status[0] = e.getAsJsonObject();
              got.countDown();
            }
          });
      boolean arrived = got.await(wait.toMillis(), TimeUnit.MILLISECONDS);
      client.disconnect(1000);
      if (!arrived) {
        return Optional.empty();
      }
      JsonObject s = status[0].deepCopy();
      JsonObject all = new JsonObject();
      synchronized (states) {
        states.forEach(all::add);
      }
      s.add("states", all);
      return Optional.of(s);
    } finally {
      client.close(true);
      timer.shutdownNow();
    }
  }

  private static JsonElement parse(byte[] payload) {
    JsonElement e = Json.parse(payload);
    if (e == null) {
      JsonObject o = new JsonObject();
      o.addProperty("unreadable", new String(payload, StandardCharsets.UTF_8));
      return o;
    }
    return e;
  }
}
