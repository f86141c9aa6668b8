package io.twinpath.core.engine.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.engine.ItemStore;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.Json;
import io.twinpath.core.wire.MalformedCommandException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copy transfer: streams each item from its origin to every peer in windows of chunks ({@code
 * copy.offer}, {@code copy.chunk}, {@code copy.ack}), resumes where the peer says, and offers again
 * a copy that made no progress (the watchdog). Applies START_COPY; reports COPY_COMPLETE.
 */
final class CopyTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(CopyTransfer.class);

  private final EngineParts e;
  private final Map<ItemId, Map<DeviceId, CopyOut>> copiesOut = new HashMap<>();
  private final Map<ItemId, CopyIn> copiesIn = new HashMap<>();

  CopyTransfer(EngineParts e, CommandRegistry commands) {
    this.e = e;
    commands.type("copy.offer", this::onOffer);
    commands.type("copy.chunk", this::onChunk);
    commands.type("copy.ack", this::onAck);
    e.machine.on(Action.START_COPY, (r, t, d) -> offer(r, null, true));
  }

  /** Per peer: how far the copy of an item has been acknowledged and sent. */
  private static final class CopyOut {
    long acked;
    long sentUpTo;
    boolean complete;
    long ackedAtLastCheck = -1;
    @Nullable InputStream in;
    long inPos;

    /** Reads {@code len} bytes at {@code offset}, going on from the last read when it can. */
    byte[] read(ItemStore store, ItemId id, long offset, int len) throws IOException {
      if (in == null || inPos > offset) {
        close();
        in = store.open(id);
        inPos = 0;
      }
      InputStream s = Objects.requireNonNull(in);
      while (inPos < offset) {
        long skipped = s.readNBytes((int) Math.min(65536, offset - inPos)).length;
        if (skipped == 0) {
          throw new IOException("the item ends before offset " + offset);
        }
        inPos += skipped;
      }
      byte[] data = s.readNBytes(len);
      inPos += data.length;
      return data;
    }

    void close() {
      InputStream s = in;
      in = null;
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          LOG.debug("closing a copy stream: {}", e.getMessage());
        }
      }
    }
  }

  /** A copy being received, and how often to acknowledge it. */
  private static final class CopyIn {
    final ItemStore.CopySink sink;

    /** Acknowledge whenever this many bytes arrived since the last acknowledgement (0: always). */
    long ackEvery;

    long lastAck;

    CopyIn(ItemStore.CopySink sink) {
      this.sink = sink;
      this.lastAck = sink.received();
    }
  }

  /** The item finished: stop sending and receiving its copies. */
  void drop(ItemId id) {
    Map<DeviceId, CopyOut> outs = copiesOut.remove(id);
    if (outs != null) {
      outs.values().forEach(CopyOut::close);
    }
    copiesIn.remove(id);
  }

  /** After a reconnect or a restart: offer every unfinished copy from here again. */
  void reofferAll() {
    for (ItemRecord r : e.records.all()) {
      if (r.phase != Phase.DONE && r.meta.origin().equals(e.self) && r.copyComplete) {
        offer(r, null, false);
      }
    }
  }

  /** Offers again any copy that made no progress since the last check (a lost message). */
  void watchdog() {
    for (Map.Entry<ItemId, Map<DeviceId, CopyOut>> en : copiesOut.entrySet()) {
      ItemRecord r = e.records.get(en.getKey());
      if (r == null || r.phase == Phase.DONE || !r.copyComplete) {
        continue;
      }
      for (Map.Entry<DeviceId, CopyOut> p : en.getValue().entrySet()) {
        CopyOut co = p.getValue();
        if (co.complete || !e.peers.isOnline(p.getKey())) {
          continue;
        }
        if (co.acked == co.ackedAtLastCheck) {
          offer(r, p.getKey(), false);
        }
        co.ackedAtLastCheck = co.acked;
      }
    }
  }

  /**
   * Offers the item's copy to the peers (or to {@code only}). With {@code push} (a new item), the
   * first window of chunks follows the offer at once to every online peer, without waiting for its
   * acknowledgement: a new item cannot be there yet, and a small item is then complete one trip
   * after it was queued.
   */
  void offer(ItemRecord r, @Nullable DeviceId only, boolean push) {
    Map<DeviceId, CopyOut> m = copiesOut.computeIfAbsent(r.meta.id(), k -> new TreeMap<>());
    for (DeviceId peer : e.peers.others()) {
      if (only != null && !only.equals(peer)) {
        continue;
      }
      CopyOut c = m.computeIfAbsent(peer, k -> new CopyOut());
      if (c.complete) {
        continue;
      }
      boolean pushing = push && e.peers.isOnline(peer);
      JsonObject f = new JsonObject();
      f.add("meta", r.meta.toJson());
      f.addProperty("chunkSize", e.settings.chunkSize());
      f.addProperty("window", e.settings.copyWindow());
      f.addProperty("pushed", pushing);
      e.outbox.send("copy.offer", peer, f);
      if (pushing) {
        c.acked = 0;
        c.sentUpTo = 0;
        pump(r, peer, c);
      }
    }
  }

  private static long longOr(JsonObject o, String name, long otherwise) {
    JsonElement v = o.get(name);
    return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
        ? v.getAsLong()
        : otherwise;
  }

  private static boolean booleanOr(JsonObject o, String name, boolean otherwise) {
    JsonElement v = o.get(name);
    return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()
        ? v.getAsBoolean()
        : otherwise;
  }

  private CopyIn copyIn(ItemMeta meta) throws IOException {
    CopyIn in = copiesIn.get(meta.id());
    if (in == null) {
      in = new CopyIn(e.store.beginCopy(meta));
      copiesIn.put(meta.id(), in);
    }
    return in;
  }

  private void onOffer(Command c) throws MalformedCommandException {
    ItemMeta meta = ItemMeta.fromJson(c.body().get("meta"));
    if (!meta.origin().equals(c.from())) {
      throw new MalformedCommandException(
          "copy offers come from the item's origin " + meta.origin() + ", not " + c.from());
    }
    if (e.refuseForgotten(c, meta)) {
      return;
    }
    ItemRecord r = e.recordFor(meta);
    if (r.phase == Phase.DONE) {
      e.outbox.replyOutcome(c.from(), r);
      return;
    }
    if (r.copyComplete) {
      ack(meta, c.from(), meta.size(), true, null, true);
      return;
    }
    try {
      CopyIn in = copyIn(meta);
      long chunk = Math.max(1, longOr(c.body(), "chunkSize", 0));
      long window = longOr(c.body(), "window", 1);
      in.ackEvery = window >= 2 ? chunk * (window / 2) : 0;
      long received = in.sink.received();
      boolean pushed = booleanOr(c.body(), "pushed", false);
      in.lastAck = received;
      if (!(pushed && received == 0)) {
        ack(meta, c.from(), received, false, null, true);
      } // else chunks from 0 follow the offer: their acknowledgements say how far the copy is

    } catch (IOException x) {
      LOG.error("{}: cannot receive a copy of {}: {}", e.self, meta.id(), x.getMessage());
      ack(meta, c.from(), 0, false, "cannot store the copy: " + x.getMessage(), true);
    }
  }

  private void ack(
      ItemMeta meta,
      DeviceId to,
      long received,
      boolean complete,
      @Nullable String error,
      boolean resume) {
    JsonObject f = new JsonObject();
    f.addProperty("item", meta.id().toString());
    f.addProperty("received", received);
    f.addProperty("complete", complete);
    f.addProperty("resume", resume);
    if (error != null) {
      f.addProperty("error", error);
    }
    e.outbox.send("copy.ack", to, f);
  }

  private void onChunk(Command c) throws MalformedCommandException {
    ItemId id = Checks.itemId(c.string("item"));
    ItemRecord r = e.records.get(id);
    if (r == null || r.phase == Phase.DONE) {
      return; // finished, or never offered: the origin offers again when needed
    }
    if (!r.meta.origin().equals(c.from())) {
      throw new MalformedCommandException("chunks of " + id + " come only from its origin");
    }
    if (!r.meta.sha256().equals(c.string("sha256"))) {
      throw new MalformedCommandException("the chunk's sha256 is not the item's");
    }
    if (r.copyComplete) {
      ack(r.meta, c.from(), r.meta.size(), true, null, false);
      return;
    }
    long offset = c.number("offset");
    byte[] data = c.data();
    if (data.length == 0 && c.body().has("data")) {
      try {
        data = Base64.getDecoder().decode(c.string("data")); // the JSON form
      } catch (IllegalArgumentException x) {
        throw new MalformedCommandException("the chunk's data is not base64");
      }
    }
    CopyIn in = copiesIn.get(id);
    try {
      if (in == null) {
        in = copyIn(r.meta);
      }
      ItemStore.CopySink sink = in.sink;
      long have = sink.received();
      if (offset > have || offset < 0 || offset + data.length > r.meta.size()) {
        in.lastAck = have;
        ack(r.meta, c.from(), have, false, null, true);
        return;
      }
      sink.append(offset, data);
      long now = sink.received();
      if (now < r.meta.size()) {
        if (now - in.lastAck >= in.ackEvery || now <= in.lastAck) {
          in.lastAck = now;
          ack(r.meta, c.from(), now, false, null, false);
        }
        return;
      }
      try {
        sink.complete();
      } catch (IOException x) {
        copiesIn.remove(id);
        LOG.warn(
            "{}: the copy of {} failed its check ({}); asking again", e.self, id, x.getMessage());
        ack(r.meta, c.from(), 0, false, "integrity check failed: " + x.getMessage(), true);
        return;
      }
      copiesIn.remove(id);
      r.copyComplete = true;
      // the store holds the complete copy durably; the start-up reads it from there
      e.records.saveLightly(r);
      ack(r.meta, c.from(), r.meta.size(), true, null, false);
      e.machine.fire(r, Trigger.COPY_COMPLETE);
    } catch (IOException x) {
      LOG.error("{}: storing a chunk of {} failed: {}", e.self, id, x.getMessage());
      copiesIn.remove(id);
      ack(r.meta, c.from(), in == null ? 0 : in.sink.received(), false, null, true);
    }
  }

  private void onAck(Command c) throws MalformedCommandException {
    ItemId id = Checks.itemId(c.string("item"));
    ItemRecord r = e.records.get(id);
    if (r == null || r.phase == Phase.DONE || !r.meta.origin().equals(e.self)) {
      if (r != null && r.phase == Phase.DONE) {
        e.outbox.replyOutcome(c.from(), r);
      }
      return;
    }
    CopyOut co =
        copiesOut
            .computeIfAbsent(id, k -> new TreeMap<>())
            .computeIfAbsent(c.from(), k -> new CopyOut());
    long received = c.number("received");
    boolean complete = c.body().get("complete").getAsBoolean();
    boolean resume = c.body().has("resume") && c.body().get("resume").getAsBoolean();
    long size = r.meta.size();
    if (received < 0 || received > size) {
      throw new MalformedCommandException("copy.ack offset " + received + " is out of range");
    }
    if (complete) {
      if (!co.complete) {
        co.complete = true;
        co.close();
        e.events.copyProgress(id, c.from(), size, size);
      }
      if (r.copiedTo.add(c.from().value())) {
        e.records.saveLightly(r);
      }
      return;
    }
    String error = Json.string(c.body(), "error");
    if (error != null) {
      LOG.warn("{}: {} reports for the copy of {}: {}", e.self, c.from(), id, error);
    }
    co.complete = false;
    co.acked = received;
    if (resume || co.sentUpTo < received) {
      co.sentUpTo = received;
    }
    e.events.copyProgress(id, c.from(), received, size);
    pump(r, c.from(), co);
  }

  private void pump(ItemRecord r, DeviceId peer, CopyOut co) {
    long size = r.meta.size();
    long window = (long) e.settings.copyWindow() * e.settings.chunkSize();
    while (co.sentUpTo < size && co.sentUpTo - co.acked < window) {
      int len = (int) Math.min(e.settings.chunkSize(), size - co.sentUpTo);
      byte[] data;
      try {
        data = co.read(e.store, r.meta.id(), co.sentUpTo, len);
      } catch (IOException x) {
        co.close();
        LOG.error("{}: cannot read {} for copying: {}", e.self, r.meta.id(), x.getMessage());
        return;
      }
      if (data.length != len) {
        LOG.error("{}: {} is shorter than its size; copy stopped", e.self, r.meta.id());
        return;
      }
      JsonObject f = new JsonObject();
      f.addProperty("item", r.meta.id().toString());
      f.addProperty("offset", co.sentUpTo);
      f.addProperty("size", size);
      f.addProperty("sha256", r.meta.sha256());
      e.outbox.send("copy.chunk", peer, f, data);
      co.sentUpTo += len;
    }
  }
}
