package io.twinpath.core.inbound;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.Topics;

/**
 * How {@link InboundSync} reaches a peer: one signed command of a type with JSON fields. The
 * production implementation ({@link #signed}) seals the command with this device's key and
 * publishes it (QoS 1) to the peer's inbox; tests may connect two syncs directly.
 */
@FunctionalInterface
public interface PeerChannel {
  /** Sends one command; must not block for long (queue it). */
  void send(DeviceId to, String type, JsonObject fields);

  /**
   * Through the send engine: {@link io.twinpath.core.engine.Coordinator#sendCommand} signs with the
   * device's key and sequence numbers and publishes to the peer's inbox. Register the receiving
   * side with {@code Coordinator.builder().commandHandler(InboundSync.PREFIX, sync:: onCommand)}.
   */
  static PeerChannel coordinator(io.twinpath.core.engine.Coordinator coordinator) {
    return (to, type, fields) -> coordinator.sendCommand(type, to, fields);
  }

  /** Signs with {@code codec} and publishes to {@code twinpath/<peer>/inbox} over {@code link}. */
  static PeerChannel signed(CommandCodec codec, MqttLink link) {
    return (to, type, fields) ->
        link.publish(Topics.inbox(to), codec.seal(type, to, fields), false);
  }
}
