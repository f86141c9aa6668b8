package io.twinpath.core.wire;

import io.twinpath.core.DeviceId;
import java.util.Optional;

/**
 * The MQTT topic layout, readable with {@code mosquitto_sub -v -t 'twinpath/#'}.
 *
 * <pre>
 * twinpath/&lt;device&gt;/state    retained  {"state":"online"|"offline",...}; offline by last will
 * twinpath/&lt;device&gt;/status   retained  path health, queue depth, peers, recent outcomes (JSON)
 * twinpath/&lt;device&gt;/inbox    commands to the device, signed by their sender (QoS 1)
 * twinpath/&lt;device&gt;/events   what the device's engine does, one JSON object per event (QoS 0)
 * </pre>
 */
public final class Topics {
  /** The root of every topic. */
  public static final String ROOT = "twinpath";

  /** Every device's retained state, for one subscription. */
  public static final String ALL_STATES = ROOT + "/+/state";

  private Topics() {}

  public static String state(DeviceId device) {
    return ROOT + "/" + device.value() + "/state";
  }

  public static String status(DeviceId device) {
    return ROOT + "/" + device.value() + "/status";
  }

  public static String inbox(DeviceId device) {
    return ROOT + "/" + device.value() + "/inbox";
  }

  /**
   * The device's own marker topic: it publishes a marker there after each (re)connect, and when it
   * comes back every message the broker kept for the device before it has been received.
   */
  public static String mark(DeviceId device) {
    return ROOT + "/" + device.value() + "/mark";
  }

  public static String events(DeviceId device) {
    return ROOT + "/" + device.value() + "/events";
  }

  /** The device named by a {@code twinpath/<device>/state} topic, if it is one. */
  public static Optional<DeviceId> deviceOfState(String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 3 || !parts[0].equals(ROOT) || !parts[2].equals("state")) {
      return Optional.empty();
    }
    try {
      return Optional.of(DeviceId.of(parts[1]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
