package io.twinpath.core.engine.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.wire.Json;
import io.twinpath.core.wire.MalformedCommandException;
import io.twinpath.core.wire.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What one device knows of one item: its phase, the newest epoch and holder, per-recipient
 * outcomes, counters and, once finished, the outcome. Saved as JSON in the engine's directory
 * ({@code <dataDir>/engine/<item>.json}) after every change. Touched only on the engine thread.
 */
public final class ItemRecord {
  /** The final results. */
  public static final String DELIVERED = "delivered";

  public static final String FAILED = "failed";
  public static final String EXPIRED = "expired";
  public static final String CANCELLED = "cancelled";

  public final ItemMeta meta;
  public Phase phase = Phase.WAITING;
  public long epoch;
  public @Nullable DeviceId holder;
  public int round;
  public long delayMs;
  public int attempts;
  public final Set<String> accepted = new LinkedHashSet<>();
  public final Map<String, String> refused = new LinkedHashMap<>();
  public int duplicates;

  /**
   * The possible duplicates each device counted itself (device id to count), merged from peers by
   * taking each device's larger count: {@link #duplicates} is at least their sum, so two devices
   * that each counted one end with two, not one.
   */
  public final Map<String, Integer> duplicatesBy = new TreeMap<>();

  /**
   * This device's running attempt was allowed its final dot: the server may hold the message
   * without this device having seen the reply. Saved (forced to disk) before the dot goes out,
   * cleared when the attempt's result is handled or a duplicate was counted for it.
   */
  public boolean finalDotSent;

  /**
   * This device delivered the item and learned that another device delivered it too, later than
   * this one's delivery would have been the duplicate; counted once (see {@code OutcomeHandler}).
   */
  public boolean deliveredTwiceCounted;

  public @Nullable String lastFailure;
  public @Nullable String lastFailureClass;
  public boolean copyComplete;
  public @Nullable String result;
  public @Nullable DeviceId resultPath;
  public @Nullable Instant resultAt;
  public @Nullable String resultReply;

  /** When this device finished the item (its own clock); the record is pruned some time after. */
  public @Nullable Instant doneAt;

  /** Peers that acknowledged a complete copy to this device (the origin): they could send it. */
  public final Set<String> copiedTo = new LinkedHashSet<>();

  public ItemRecord(ItemMeta meta) {
    this.meta = meta;
  }

  /** Remaining recipients: neither accepted nor refused for good. */
  public boolean allRecipientsSettled() {
    for (String r : meta.envelope().recipients()) {
      if (!accepted.contains(r) && !refused.containsKey(r)) {
        return false;
      }
    }
    return true;
  }

  /** Recipients no path sends to again. */
  public Set<String> settled() {
    Set<String> s = new LinkedHashSet<>(accepted);
    s.addAll(refused.keySet());
    return s;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.add("meta", meta.toJson());
    o.addProperty("phase", phase.name());
    o.addProperty("epoch", epoch);
    if (holder != null) {
      o.addProperty("holder", holder.value());
    }
    o.addProperty("round", round);
    o.addProperty("delayMs", delayMs);
    o.addProperty("attempts", attempts);
    o.add("accepted", strings(accepted));
    o.add("refused", map(refused));
    o.addProperty("duplicates", duplicates);
    if (!duplicatesBy.isEmpty()) {
      o.add("duplicatesBy", duplicatesByJson());
    }
    if (deliveredTwiceCounted) {
      o.addProperty("deliveredTwiceCounted", true);
    }
    if (finalDotSent) {
      o.addProperty("finalDotSent", true);
    }
    if (lastFailure != null) {
      o.addProperty("lastFailure", lastFailure);
      o.addProperty("lastFailureClass", lastFailureClass);
    }
    o.addProperty("copyComplete", copyComplete);
    if (result != null) {
      o.addProperty("result", result);
      o.addProperty("path", resultPath == null ? null : resultPath.value());
      o.addProperty("at", resultAt == null ? null : resultAt.toString());
      o.addProperty("reply", resultReply);
    }
    if (doneAt != null) {
      o.addProperty("doneAt", doneAt.toString());
    }
    if (!copiedTo.isEmpty()) {
      o.add("copiedTo", strings(copiedTo));
    }
    return o;
  }

  /** Counts one possible duplicate seen by {@code device}. */
  void countDuplicate(DeviceId device) {
    duplicatesBy.merge(device.value(), 1, Integer::sum);
    duplicates = Math.max(duplicates + 1, sumOfDuplicatesBy());
  }

  /**
   * Merges the count of a (checked) turn or outcome: each device's larger share, and a total of at
   * least the sum of the shares and the total received. Returns whether this record's total rose.
   */
  boolean mergeDuplicates(JsonObject o) {
    int before = duplicates;
    JsonElement by = o.get("duplicatesBy");
    if (by != null && by.isJsonObject()) {
      for (var e : by.getAsJsonObject().entrySet()) {
        duplicatesBy.merge(e.getKey(), e.getValue().getAsInt(), Math::max);
      }
    }
    JsonElement total = o.get("duplicates");
    int theirs = total == null ? 0 : total.getAsInt();
    duplicates = Math.max(Math.max(duplicates, theirs), sumOfDuplicatesBy());
    return duplicates > before;
  }

  /** Whether this record knows of possible duplicates that the turn or outcome {@code o} lacks. */
  boolean knowsMoreDuplicatesThan(JsonObject o) {
    JsonElement total = o.get("duplicates");
    if (total == null || duplicates > total.getAsInt()) {
      return true;
    }
    JsonElement by = o.get("duplicatesBy");
    JsonObject theirs = by != null && by.isJsonObject() ? by.getAsJsonObject() : new JsonObject();
    for (Map.Entry<String, Integer> e : duplicatesBy.entrySet()) {
      JsonElement n = theirs.get(e.getKey());
      if (n == null || n.getAsInt() < e.getValue()) {
        return true;
      }
    }
    return false;
  }

  private int sumOfDuplicatesBy() {
    int sum = 0;
    for (int n : duplicatesBy.values()) {
      sum += n;
    }
    return sum;
  }

  JsonObject duplicatesByJson() {
    JsonObject o = new JsonObject();
    duplicatesBy.forEach(o::addProperty);
    return o;
  }

  public static JsonArray strings(Set<String> s) {
    JsonArray a = new JsonArray();
    s.forEach(a::add);
    return a;
  }

  public static JsonObject map(Map<String, String> m) {
    JsonObject o = new JsonObject();
    m.forEach(o::addProperty);
    return o;
  }

  public static ItemRecord fromJson(JsonObject o) throws MalformedCommandException {
    ItemRecord r = new ItemRecord(ItemMeta.fromJson(o.get("meta")));
    try {
      r.phase = Phase.valueOf(o.get("phase").getAsString());
      r.epoch = o.get("epoch").getAsLong();
      String h = Json.string(o, "holder");
      r.holder = h == null ? null : DeviceId.of(h);
      r.round = o.get("round").getAsInt();
      r.delayMs = o.get("delayMs").getAsLong();
      r.attempts = o.get("attempts").getAsInt();
      for (JsonElement e : o.getAsJsonArray("accepted")) {
        r.accepted.add(e.getAsString());
      }
      for (var e : o.getAsJsonObject("refused").entrySet()) {
        r.refused.put(e.getKey(), e.getValue().getAsString());
      }
      r.duplicates = o.get("duplicates").getAsInt();
      JsonElement by = o.get("duplicatesBy");
      if (by != null && by.isJsonObject()) {
        for (var e : by.getAsJsonObject().entrySet()) {
          r.duplicatesBy.put(e.getKey(), e.getValue().getAsInt());
        }
      }
      JsonElement dot = o.get("finalDotSent");
      r.finalDotSent = dot != null && dot.getAsBoolean();
      JsonElement twice = o.get("deliveredTwiceCounted");
      r.deliveredTwiceCounted = twice != null && twice.getAsBoolean();
      r.lastFailure = Json.string(o, "lastFailure");
      r.lastFailureClass = Json.string(o, "lastFailureClass");
      r.copyComplete = o.get("copyComplete").getAsBoolean();
      r.result = Json.string(o, "result");
      String p = Json.string(o, "path");
      r.resultPath = p == null ? null : DeviceId.of(p);
      String at = Json.string(o, "at");
      r.resultAt = at == null ? null : Instant.parse(at);
      r.resultReply = Json.string(o, "reply");
      String done = Json.string(o, "doneAt");
      r.doneAt = done == null ? null : Instant.parse(done);
      JsonArray copied = o.getAsJsonArray("copiedTo");
      if (copied != null) {
        for (JsonElement e : copied) {
          r.copiedTo.add(e.getAsString());
        }
      }
      return r;
    } catch (RuntimeException e) {
      throw new MalformedCommandException("the item record has a missing or bad field: " + e);
    }
  }

  public void save(Path dir) throws IOException {
    save(dir, true);
  }

  /**
   * Replaces the record atomically; with {@code durable} it is forced to disk first. A record saved
   * without it may be lost or empty after a power loss (never half-written by a crash of the
   * process): only for states that the engine rebuilds at start anyway.
   */
  public void save(Path dir, boolean durable) throws IOException {
    AtomicFiles.write(
        dir.resolve(meta.id() + ".json"),
        toJson().toString().getBytes(StandardCharsets.UTF_8),
        durable,
        false);
  }

  public static ItemRecord load(Path file) throws IOException {
    try {
      return fromJson(Json.object(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (MalformedCommandException e) {
      throw new IOException("the engine record " + file + " is damaged: " + e.getMessage(), e);
    }
  }
}
