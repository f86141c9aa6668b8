package io.twinpath.core.inbound.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.inbound.InboundId;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.core.inbound.InboundSync;
import io.twinpath.core.inbound.MailFetcher;
import io.twinpath.core.inbound.PeerChannel;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.MalformedCommandException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of {@link InboundSync}: the messages this device wants from each peer, asked
 * for one at a time with {@code inbound.get} in windows of {@link InboundSync#WINDOW_BYTES}, their
 * {@code inbound.chunk}s appended to the store's partial files, checked, handed to the sink and
 * confirmed with {@code inbound.have}. A transfer silent for the timeout is asked for again.
 * Thread-safe.
 */
public final class TransferReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(InboundSync.class);

  private final InboundStore store;
  private final InboundSink sink;
  private final PeerChannel channel;
  private final TwinpathListener listener;
  private final long timeoutMillis;
  private final Map<DeviceId, Deque<InboundId>> wanted = new HashMap<>();
  private final Map<DeviceId, Transfer> fetching = new HashMap<>();
  private final Set<InboundId> requested = new HashSet<>();

  /** The message being received from a peer, and where the current window ends. */
  private static final class Transfer {
    final InboundId id;
    long windowEnd;
    long lastActivityNanos = System.nanoTime();

    Transfer(InboundId id) {
      this.id = id;
    }
  }

  public TransferReceiver(
      InboundStore store,
      InboundSink sink,
      PeerChannel channel,
      TwinpathListener listener,
      long timeoutMillis) {
    this.store = store;
    this.sink = sink;
    this.channel = channel;
    this.listener = listener;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Queues the messages {@code peer} has and this device lacks, tells the peer of those that
   * arrived here meanwhile, and starts the next transfer from it.
   */
  public void want(DeviceId peer, List<InboundId> missingHere) throws IOException {
    List<InboundId> meanwhile = new ArrayList<>();
    synchronized (this) {
      Deque<InboundId> q = wanted.computeIfAbsent(peer, p -> new ArrayDeque<>());
      for (InboundId id : missingHere) {
        if (store.knows(id)) {
          meanwhile.add(id); // fetched here since the sets were frozen: the peer may free it
        } else if (requested.add(id)) {
          q.add(id);
        }
      }
    }
    if (!meanwhile.isEmpty()) {
      IdsCommands.sendIds(channel, peer, "inbound.have", meanwhile);
    }
    requestNext(peer);
  }

  private void requestNext(DeviceId peer) throws IOException {
    Transfer next;
    synchronized (this) {
      if (fetching.containsKey(peer)) {
        return;
      }
      Deque<InboundId> q = wanted.get(peer);
      InboundId id = q == null ? null : q.poll();
      if (id == null) {
        return;
      }
      next = new Transfer(id);
      fetching.put(peer, next);
    }
    requestWindow(peer, next, store.partialLength(next.id));
  }

  private void requestWindow(DeviceId peer, Transfer t, long offset) {
    synchronized (this) {
      t.windowEnd = offset + InboundSync.WINDOW_BYTES;
      t.lastActivityNanos = System.nanoTime();
    }
    InboundId id = t.id;
    JsonObject f = new JsonObject();
    f.addProperty("id", id.toString());
    f.addProperty("offset", offset);
    f.addProperty("max", InboundSync.WINDOW_BYTES);
    channel.send(peer, "inbound.get", f);
  }

  public void onChunk(Command c) throws MalformedCommandException, IOException {
    InboundId id = InboundId.parse(c.string("id"));
    DeviceId peer = c.from();
    Transfer t;
    synchronized (this) {
      t = fetching.get(peer);
    }
    if (t == null || !t.id.equals(id)) {
      return; // not asked for (or a late repeat)
    }
    synchronized (this) {
      t.lastActivityNanos = System.nanoTime();
    }
    long offset = c.number("offset");
    long size = c.number("size");
    String sha = c.string("sha256");
    byte[] data = Base64.getDecoder().decode(c.string("data"));
    if (size < 0 || size > MailFetcher.MAX_MESSAGE_BYTES) {
      LOG.warn("Refused message {} from {}: it announces {} bytes", id, peer, size);
      finishTransfer(peer, id);
      return;
    }
    long have;
    try {
      have = store.appendPartial(id, offset, data);
    } catch (IOException e) {
      LOG.warn("Chunk of {} from {} not stored: {}; asking again", id, peer, e.getMessage());
      requestWindow(peer, t, store.partialLength(id));
      return;
    }
    if (have < size) {
      long windowEnd;
      synchronized (this) {
        windowEnd = t.windowEnd;
      }
      if (have >= windowEnd) {
        requestWindow(peer, t, have);
      }
      return;
    }
    byte[] bytes;
    try {
      bytes = store.completePartial(id, size, sha);
    } catch (IOException e) {
      LOG.warn("{}", e.getMessage());
      requestWindow(peer, t, 0);
      return;
    }
    InboundSink.Outcome o = sink.accept(id, bytes);
    store.dropPartial(id);
    LOG.info("Received inbound message {} ({} bytes) from {}: {}", id, size, peer, o);
    if (o == InboundSink.Outcome.STORED) {
      listener.inboundStored(id.toString(), peer, size);
    }
    if (o != InboundSink.Outcome.REFUSED) {
      IdsCommands.sendIds(channel, peer, "inbound.have", List.of(id));
    }
    finishTransfer(peer, id);
  }

  public synchronized void forgetTransfers(DeviceId peer) {
    Transfer t = fetching.remove(peer);
    if (t != null) {
      requested.remove(t.id);
    }
    Deque<InboundId> q = wanted.remove(peer);
    if (q != null) {
      requested.removeAll(q);
    }
  }

  /** Asks again for the current window of transfers that have been silent for the timeout. */
  public void checkStalls() {
    List<DeviceId> stalled = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      for (Map.Entry<DeviceId, Transfer> e : fetching.entrySet()) {
        if (now - e.getValue().lastActivityNanos > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
          stalled.add(e.getKey());
        }
      }
    }
    for (DeviceId peer : stalled) {
      Transfer t;
      synchronized (this) {
        t = fetching.get(peer);
      }
      if (t == null) {
        continue;
      }
      try {
        LOG.info("The transfer of {} from {} stalled; asking again", t.id, peer);
        requestWindow(peer, t, store.partialLength(t.id));
      } catch (IOException | RuntimeException e) {
        LOG.warn("Could not ask {} again for {}: {}", peer, t.id, e.toString());
      }
    }
  }

  private void finishTransfer(DeviceId peer, InboundId id) throws IOException {
    synchronized (this) {
      fetching.remove(peer);
      requested.remove(id);
    }
    requestNext(peer);
  }

  public void onGone(DeviceId peer, InboundId id) throws IOException {
    LOG.warn("{} no longer holds inbound message {}; it cannot be transferred", peer, id);
    store.dropPartial(id);
    finishTransfer(peer, id);
  }

  /** Messages this device is still waiting to receive. */
  public synchronized int pendingTransfers() {
    int n = fetching.size();
    for (Deque<InboundId> q : wanted.values()) {
      n += q.size();
    }
    return n;
  }
}
