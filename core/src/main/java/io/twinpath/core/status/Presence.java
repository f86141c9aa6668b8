package io.twinpath.core.status;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's retained presence on {@code twinpath/<device>/state}: {@code online} while connected,
 * {@code offline} by last will when the connection dies, and explicitly on a clean stop. The
 * payload is JSON readable with {@code mosquitto_sub}.
 *
 * <p>For a device that does not run an {@link io.twinpath.core.engine.Coordinator}: a coordinator's
 * own MQTT link publishes the device's state (with its last will) and must not be doubled by this.
 */
public final class Presence implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

  private final DeviceId device;
  private final MqttClient client;
  private final String role;
  private final Clock clock;

  private Presence(DeviceId device, String role, MqttClient client, Clock clock) {
    this.device = device;
    this.role = role;
    this.client = client;
    this.clock = clock;
  }

  /** The retained state topic of a device. */
  public static String stateTopic(DeviceId device) {
    return "twinpath/" + device.value() + "/state";
  }

  /** Connects to {@code brokerUrl} and announces the device online. */
  public static Presence announce(String brokerUrl, DeviceId device, String role, Clock clock)
      throws MqttException {
    MqttClient client =
        new MqttClient(brokerUrl, device.value() + "-presence", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(true);
    options.setKeepAliveInterval(10);
    options.setConnectionTimeout(10);
    options.setWill(stateTopic(device), payload(device, role, "offline", clock), 1, true);
    client.connect(options);
    client.publish(stateTopic(device), payload(device, role, "online", clock), 1, true);
    LOG.info("{} is online at {} ({})", device, brokerUrl, stateTopic(device));
    return new Presence(device, role, client, clock);
  }

  static byte[] payload(DeviceId device, String role, String state, Clock clock) {
    JsonObject o = new JsonObject();
    o.addProperty("device", device.value());
    o.addProperty("role", role);
    o.addProperty("state", state);
    o.addProperty("at", clock.instant().toString());
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  public DeviceId device() {
    return device;
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /** Announces offline and disconnects. */
  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.publish(stateTopic(device), payload(device, role, "offline", clock), 1, true);
        client.disconnect(2000);
      }
    } catch (MqttException e) {
      LOG.warn("{} could not announce offline cleanly: {}", device, e.toString());
    } finally {
      try {
        client.close(true);
      } catch (MqttException e) {
        LOG.debug("closing the presence client", e);
      }
    }
  }
}
