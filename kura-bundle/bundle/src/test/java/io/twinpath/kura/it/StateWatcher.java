package io.twinpath.kura.it;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

/** Watches the retained {@code twinpath/<device>/state} topics the way an operator would. */
final class StateWatcher implements AutoCloseable {
  private final MqttClient client;
  private final Map<String, String> states = new ConcurrentHashMap<>();
  private final Map<String, String> statuses = new ConcurrentHashMap<>();

  private StateWatcher(MqttClient client) {
    this.client = client;
  }

  static StateWatcher connect(String brokerUrl) throws MqttException {
    return connect(brokerUrl, null, null);
  }

  static StateWatcher connect(String brokerUrl, @Nullable String user, @Nullable String password)
      throws MqttException {
    MqttClient c = new MqttClient(brokerUrl, "it-operator-view", new MemoryPersistence());
    StateWatcher w = new StateWatcher(c);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    if (user != null && password != null) {
      o.setUserName(user);
      o.setPassword(password.toCharArray());
    }
    c.connect(o);
    c.subscribe(
        new String[] {"twinpath/+/state", "twinpath/+/status"},
        new int[] {1, 1},
        new IMqttMessageListener[] {
          (topic, message) ->
              w.states.put(
                  topic.split("/")[1], new String(message.getPayload(), StandardCharsets.UTF_8)),
          (topic, message) ->
              w.statuses.put(
                  topic.split("/")[1], new String(message.getPayload(), StandardCharsets.UTF_8))
        });
    return w;
  }

  /** The last state a device announced ({@code online}, {@code offline}) or "" if none. */
  String state(String device) {
    return field(device, "state");
  }

  /** The last retained status JSON of a device, or "". */
  String status(String device) {
    return statuses.getOrDefault(device, "");
  }

  String role(String device) {
    return field(device, "role");
  }

  private String field(String device, String name) {
    String json = states.get(device);
    if (json == null) {
      return "";
    }
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : "";
  }

  @Override
  public void close() throws MqttException {
    client.disconnect();
    client.close();
  }
}
