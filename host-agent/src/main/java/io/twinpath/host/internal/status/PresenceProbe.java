package io.twinpath.host.internal.status;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.Topics;
import io.twinpath.host.internal.config.BrokerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Reads the devices' retained state topics from the broker, for {@code status} when no daemon runs
 * to say whether the peers are online.
 */
public final class PresenceProbe {
  private static final Gson GSON = new Gson();

  private PresenceProbe() {}

  /**
   * The retained state of each device in {@code devices}: {@code {"dongle": {"online": true,
   * "since": "..."}}}; devices without a retained state are left out.
   *
   * @throws IOException when the broker cannot be reached within {@code timeout}
   */
  public static JsonObject read(BrokerSettings broker, List<DeviceId> devices, Duration timeout)
      throws IOException {
    Map<String, JsonObject> seen = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(devices.size());
    MqttClient client = null;
    try {
      client =
          new MqttClient(
              broker.url(),
              "twinpath-status-" + ProcessHandle.current().pid(),
              new MemoryPersistence());
      client.setTimeToWait(timeout.toMillis());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      o.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
      if (broker.user() != null) {
        o.setUserName(broker.user());
        if (broker.password() != null) {
          o.setPassword(broker.password().reveal());
        }
      }
      client.connect(o);
      client.subscribe(
          Topics.ALL_STATES,
          1,
          (topic, message) -> {
            Optional<DeviceId> d = Topics.deviceOfState(topic);
            if (d.isEmpty() || !devices.contains(d.get())) {
              return;
            }
            try {
              JsonObject payload =
                  GSON.fromJson(
                      new String(message.getPayload(), StandardCharsets.UTF_8), JsonObject.class);
              JsonObject p = new JsonObject();
              p.addProperty(
                  "online",
                  payload != null
                      && payload.has("state")
                      && "online".equals(payload.get("state").getAsString()));
              if (payload != null && payload.has("at")) {
                p.add("since", payload.get("at"));
              }
              if (seen.put(d.get().value(), p) == null) {
                all.countDown();
              }
            } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
              // not our payload: ignore
            }
          });
      all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (MqttException e) {
      if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
        throw new IOException(
            "the MQTT broker "
                + broker.url()
                + " does not answer: no reply to CONNECT within "
                + timeout.toSeconds()
                + " s (a broker that accepts connections but answers nothing is wedged:"
                + " restart it)",
            e);
      }
      throw new IOException("the MQTT broker " + broker.url() + " cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (client != null) {
        try {
          if (client.isConnected()) {
            client.disconnect(500);
          }
          client.close(true);
        } catch (MqttException e) {
          // nothing to do
        }
      }
    }
    JsonObject out = new JsonObject();
    seen.forEach(out::add);
    return out;
  }
}
