package io.twinpath.core.engine.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.FailureClass;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.Topics;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Commands out: seals them under this device's key and sequence numbers and publishes them to the
 * peers' inboxes; also how a turn and an outcome are written.
 */
final class Outbox {
  private final Peers peers;
  private final CommandCodec codec;
  private final EngineLoop loop;
  private volatile @Nullable MqttLink link;

  Outbox(Peers peers, CommandCodec codec, EngineLoop loop) {
    this.peers = peers;
    this.codec = codec;
    this.loop = loop;
  }

  void attach(MqttLink l) {
    this.link = l;
  }

  @Nullable MqttLink link() {
    return link;
  }

  void send(String type, DeviceId to, JsonObject fields) {
    MqttLink l = link;
    if (l == null || loop.isClosed()) {
      return;
    }
    l.publish(Topics.inbox(to), codec.seal(type, to, fields), false);
  }

  /** Sends a command with raw bytes attached (the binary frame). */
  void send(String type, DeviceId to, JsonObject fields, byte[] data) {
    MqttLink l = link;
    if (l == null || loop.isClosed()) {
      return;
    }
    l.publish(Topics.inbox(to), codec.seal(type, to, fields, data), false);
  }

  /** Sends the same command to every peer. */
  void toPeers(String type, JsonObject fields) {
    for (DeviceId peer : peers.others()) {
      send(type, peer, fields);
    }
  }

  static JsonObject turnFields(
      ItemRecord r, String reason, @Nullable FailureClass failure, boolean takeover) {
    JsonObject f = new JsonObject();
    f.addProperty("item", r.meta.id().toString());
    f.add("meta", r.meta.toJson());
    f.addProperty("epoch", r.epoch);
    f.addProperty("holder", Objects.requireNonNull(r.holder).value());
    f.addProperty("reason", reason);
    if (failure != null) {
      f.addProperty("failure", failure.name());
    }
    f.addProperty("round", r.round);
    f.addProperty("delayMs", r.delayMs);
    f.addProperty("attempts", r.attempts);
    f.add("accepted", ItemRecord.strings(r.accepted));
    f.add("refused", ItemRecord.map(r.refused));
    f.addProperty("duplicates", r.duplicates);
    f.add("duplicatesBy", r.duplicatesByJson());
    f.addProperty("takeover", takeover);
    return f;
  }

  void broadcastTurn(
      ItemRecord r, String reason, @Nullable FailureClass failure, boolean takeover) {
    toPeers("turn", turnFields(r, reason, failure, takeover));
  }

  static JsonObject outcomeFields(ItemRecord r) {
    JsonObject f = new JsonObject();
    f.addProperty("item", r.meta.id().toString());
    f.addProperty("result", r.result == null ? ItemRecord.EXPIRED : r.result);
    f.addProperty("path", r.resultPath == null ? null : r.resultPath.value());
    f.addProperty("at", r.resultAt == null ? null : r.resultAt.toString());
    f.addProperty("reply", r.resultReply);
    f.add("accepted", ItemRecord.strings(r.accepted));
    f.add("refused", ItemRecord.map(r.refused));
    f.addProperty("duplicates", r.duplicates);
    f.add("duplicatesBy", r.duplicatesByJson());
    f.addProperty("epoch", r.epoch);
    return f;
  }

  /** Answers a command about a finished item with its outcome. */
  void replyOutcome(DeviceId to, ItemRecord r) {
    send("outcome", to, outcomeFields(r));
  }

  void broadcastOutcome(ItemRecord r) {
    toPeers("outcome", outcomeFields(r));
  }

  static JsonArray ids(List<ItemId> list) {
    JsonArray a = new JsonArray();
    list.forEach(i -> a.add(i.toString()));
    return a;
  }
}
