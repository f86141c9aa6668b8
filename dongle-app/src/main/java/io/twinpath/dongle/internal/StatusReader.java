package io.twinpath.dongle.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.wire.Topics;
import io.twinpath.dongle.DongleConfig;
import io.twinpath.secondary.SecondaryNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

/**
 * Reads the retained {@code status} (the engine's), {@code health} (the secondary's) and every
 * device's {@code state} from the broker, as {@code mosquitto_sub} would.
 */
public final class StatusReader {
  private StatusReader() {}

  /**
   * {@code {"status": …, "health": …, "states": {device: state}}}, or empty when the broker holds
   * neither status nor health for the device.
   */
  public static Optional<JsonObject> read(DongleConfig config, Duration wait)
      throws IOException, MqttException, InterruptedException {
    ScheduledExecutorService timer = PahoThreads.pool("status-reader");
    MqttClient client =
        new MqttClient(
            config.broker().url(),
            // unique per call: a second reader must not take over a session still closing
            config.device().value()
                + "-status-"
                + Long.toString(ProcessHandle.current().pid(), 36)
                + "-"
                + Long.toString(System.nanoTime() & 0xffffffffL, 36),
            new MemoryPersistence(),
            timer);
    client.setTimeToWait(15_000);
    try {
      MqttConnectOptions o = BrokerClients.options(config.broker());
      o.setCleanSession(true);
      client.connect(o);
      CountDownLatch got = new CountDownLatch(2);
      JsonObject result = new JsonObject();
      Map<String, JsonElement> states = new TreeMap<>();
      client.subscribe(
          Topics.ALL_STATES,
          1,
          (t, m) -> {
            synchronized (states) {
              states.put(t.split("/")[1], parse(m.getPayload()));
            }
          });
      String statusTopic = Topics.status(config.device());
      String healthTopic = SecondaryNode.healthTopic(config.device());
      client.subscribe(
          new String[] {statusTopic, healthTopic},
          new int[] {1, 1},
          new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
            (t, m) -> put(result, "status", m.getPayload(), got),
            (t, m) -> put(result, "health", m.getPayload(), got)
          });
      boolean both = got.await(wait.toMillis(), TimeUnit.MILLISECONDS);
      client.disconnect(1000);
      synchronized (result) {
        if (!both && result.size() == 0) {
          return Optional.empty();
        }
        JsonObject out = result.deepCopy();
        JsonObject all = new JsonObject();
        synchronized (states) {
          states.forEach(all::add);
        }
        out.add("states", all);
        return Optional.of(out);
      }
    } finally {
      client.close(true);
    }
  }

  /**
   * When the broker accepts connections but does not answer an MQTT CONNECT within {@code wait}
   * (for every session thread of an embedded Moquette): a sentence saying so, naming the broker's
   * URL; else null (also when nothing listens: reading the status says that better).
   */
  public static @Nullable String unanswered(DongleConfig config, Duration wait) throws IOException {
    String url = config.broker().url();
    URI u = URI.create(url);
    SocketFactory sockets = BrokerClients.sslSocketFactory(config.broker(), url);
    if (sockets == null) {
      sockets =
          url.startsWith("ssl://") ? SSLSocketFactory.getDefault() : SocketFactory.getDefault();
    }
    String problem =
        BrokerProbe.check(
            u.getHost(),
            u.getPort(),
            sockets,
            BrokerProbe.idsForEverySessionThread(
                config.device().value()
                    + "-status-"
                    + Long.toString(ProcessHandle.current().pid(), 36)
                    + "-"),
            config.broker().username(),
            config.broker().password(),
            wait);
    if (problem == null || !problem.startsWith("accepts connections")) {
      return null;
    }
    return "the broker at "
        + url
        + " "
        + problem
        + (config.broker().mode() == DongleConfig.BrokerMode.EMBEDDED
            ? "; 'twinpath-dongle run' restarts its embedded broker when it stays so for "
                + (BrokerWatch.INTERVAL.getSeconds() * BrokerWatch.MISSES
                    + BrokerWatch.TIMEOUT.getSeconds())
                + " s; if it does not, restart the dongle"
            : "");
  }

  /** The status document when the broker does not answer: {@code {"broker": {…}}}. */
  public static JsonObject silentBroker(DongleConfig config, String sentence) {
    JsonObject b = new JsonObject();
    b.addProperty("url", config.broker().url());
    b.addProperty("answers", false);
    b.addProperty("problem", sentence);
    JsonObject out = new JsonObject();
    out.add("broker", b);
    return out;
  }

  private static void put(JsonObject result, String key, byte[] payload, CountDownLatch got) {
    synchronized (result) {
      if (!result.has(key)) {
        result.add(key, parse(payload));
        got.countDown();
      }
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
