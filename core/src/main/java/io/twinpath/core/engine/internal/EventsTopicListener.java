package io.twinpath.core.engine.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.FailureClass;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Publishes each event as JSON on {@code twinpath/<device>/events} (QoS 0, best effort). */
public final class EventsTopicListener implements TwinpathListener {
  private final DeviceId self;
  private final Supplier<@Nullable MqttLink> link;
  private final Clock clock;

  public EventsTopicListener(DeviceId self, Supplier<@Nullable MqttLink> link, Clock clock) {
    this.self = self;
    this.link = link;
    this.clock = clock;
  }

  private JsonObject event(String name, @Nullable ItemId item) {
    JsonObject o = new JsonObject();
    o.addProperty("event", name);
    o.addProperty("device", self.value());
    o.addProperty("at", clock.instant().toString());
    if (item != null) {
      o.addProperty("item", item.toString());
    }
    return o;
  }

  private void send(JsonObject o) {
    MqttLink l = link.get();
    if (l != null) {
      l.publishBestEffort(Topics.events(self), o.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void attemptStarted(ItemId item, DeviceId device, long epoch, int attempt) {
    JsonObject o = event("attemptStarted", item);
    o.addProperty("epoch", epoch);
    o.addProperty("attempt", attempt);
    send(o);
  }

  @Override
  public void attemptFailed(ItemId item, DeviceId device, FailureClass failure, String reason) {
    JsonObject o = event("attemptFailed", item);
    o.addProperty("class", failure.name());
    o.addProperty("reason", reason);
    send(o);
  }

  @Override
  public void turnPassed(ItemId item, DeviceId from, DeviceId to, long epoch, String reason) {
    JsonObject o = event("turnPassed", item);
    o.addProperty("from", from.value());
    o.addProperty("to", to.value());
    o.addProperty("epoch", epoch);
    o.addProperty("reason", reason);
    send(o);
  }

  @Override
  public void delivered(ItemId item, DeviceId path, Instant at, String reply) {
    JsonObject o = event("delivered", item);
    o.addProperty("path", path.value());
    o.addProperty("reply", reply);
    send(o);
  }

  @Override
  public void failed(ItemId item, DeviceId path, String reply, Map<String, String> rejected) {
    JsonObject o = event("failed", item);
    o.addProperty("path", path.value());
    o.addProperty("reply", reply);
    o.add("refused", ItemRecord.map(rejected));
    send(o);
  }

  @Override
  public void possibleDuplicate(ItemId item, DeviceId device, int count) {
    JsonObject o = event("possibleDuplicate", item);
    o.addProperty("count", count);
    send(o);
  }

  @Override
  public void takeover(ItemId item, DeviceId offline, DeviceId by, long epoch) {
    JsonObject o = event("takeover", item);
    o.addProperty("offline", offline.value());
    o.addProperty("epoch", epoch);
    send(o);
  }

  @Override
  public void expired(ItemId item, Instant expiresAt) {
    send(event("expired", item));
  }

  @Override
  public void cancelled(ItemId item, DeviceId by) {
    JsonObject o = event("cancelled", item);
    o.addProperty("by", by.value());
    send(o);
  }

  @Override
  public void commandRejected(@Nullable String claimedSender, String why) {
    JsonObject o = event("commandRejected", null);
    o.addProperty("claimedSender", claimedSender);
    o.addProperty("why", why);
    send(o);
  }

  @Override
  public void copyProgress(ItemId item, DeviceId peer, long bytes, long total) {
    JsonObject o = event("copyProgress", item);
    o.addProperty("peer", peer.value());
    o.addProperty("bytes", bytes);
    o.addProperty("total", total);
    send(o);
  }

  @Override
  public void peerPresence(DeviceId peer, boolean online) {
    JsonObject o = event("peerPresence", null);
    o.addProperty("peer", peer.value());
    o.addProperty("online", online);
    send(o);
  }

  @Override
  public void inboundReconciled(
      DeviceId peer, int missingHere, int missingThere, long bytes, int roundTrips) {
    JsonObject o = event("inboundReconciled", null);
    o.addProperty("peer", peer.value());
    o.addProperty("missingHere", missingHere);
    o.addProperty("missingThere", missingThere);
    o.addProperty("bytes", bytes);
    o.addProperty("roundTrips", roundTrips);
    send(o);
  }

  @Override
  public void inboundStored(String id, DeviceId source, long bytes) {
    JsonObject o = event("inboundStored", null);
    o.addProperty("id", id);
    o.addProperty("source", source.value());
    o.addProperty("bytes", bytes);
    send(o);
  }
}
