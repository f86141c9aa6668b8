package io.twinpath.core.status;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.ItemId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A device's status at a glance: connection, peers, its path's health, the queue and recent
 * outcomes. Immutable; published retained on {@code twinpath/<device>/status} as {@link #toJson()}.
 *
 * @param peers each peer's presence: {@code online}, {@code offline} or {@code unknown}
 * @param pathHealth {@code ok}, {@code failing} or {@code unknown} (no attempt yet)
 * @param modemSignal signal quality when the device has a modem (filled by the modem layer)
 */
public record DeviceStatus(
    DeviceId device,
    String role,
    Instant at,
    boolean connected,
    Map<DeviceId, String> peers,
    String pathHealth,
    @Nullable Instant lastAttemptAt,
    @Nullable String lastError,
    List<ItemView> queue,
    int possibleDuplicates,
    @Nullable Integer modemSignal,
    List<Outcome> recent) {
  public DeviceStatus {
    peers = Map.copyOf(peers);
    queue = List.copyOf(queue);
    recent = List.copyOf(recent);
  }

  /** An unfinished item as this device sees it. */
  public record ItemView(
      ItemId item,
      String phase,
      @Nullable DeviceId holder,
      long epoch,
      int attempts,
      int possibleDuplicates,
      @Nullable String lastFailure,
      boolean copyComplete) {}

  /** How a finished item ended: which path, when, the server's reply. */
  public record Outcome(
      ItemId item,
      String result,
      @Nullable DeviceId path,
      @Nullable Instant at,
      @Nullable String reply,
      int possibleDuplicates,
      Map<String, String> refused) {
    public Outcome {
      refused = Map.copyOf(refused);
    }
  }

  public int queueDepth() {
    return queue.size();
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("device", device.value());
    o.addProperty("role", role);
    o.addProperty("at", at.toString());
    o.addProperty("connected", connected);
    JsonObject p = new JsonObject();
    peers.forEach((d, s) -> p.addProperty(d.value(), s));
    o.add("peers", p);
    JsonObject path = new JsonObject();
    path.addProperty("health", pathHealth);
    path.addProperty("lastAttemptAt", lastAttemptAt == null ? null : lastAttemptAt.toString());
    path.addProperty("lastError", lastError);
    o.add("path", path);
    o.addProperty("queueDepth", queue.size());
    o.addProperty("possibleDuplicates", possibleDuplicates);
    JsonObject modem = new JsonObject();
    modem.addProperty("signal", modemSignal);
    o.add("modem", modem);
    JsonArray q = new JsonArray();
    for (ItemView v : queue) {
      JsonObject i = new JsonObject();
      i.addProperty("item", v.item().toString());
      i.addProperty("phase", v.phase());
      i.addProperty("holder", v.holder() == null ? null : v.holder().value());
      i.addProperty("epoch", v.epoch());
      i.addProperty("attempts", v.attempts());
      i.addProperty("possibleDuplicates", v.possibleDuplicates());
      i.addProperty("lastFailure", v.lastFailure());
      i.addProperty("copyComplete", v.copyComplete());
      q.add(i);
    }
    o.add("queue", q);
    JsonArray r = new JsonArray();
    for (Outcome x : recent) {
      JsonObject i = new JsonObject();
      i.addProperty("item", x.item().toString());
      i.addProperty("result", x.result());
      i.addProperty("path", x.path() == null ? null : x.path().value());
      i.addProperty("at", x.at() == null ? null : x.at().toString());
      i.addProperty("reply", x.reply());
      i.addProperty("possibleDuplicates", x.possibleDuplicates());
      JsonObject ref = new JsonObject();
      x.refused().forEach(ref::addProperty);
      i.add("refused", ref);
      r.add(i);
    }
    o.add("recent", r);
    return o;
  }
}
