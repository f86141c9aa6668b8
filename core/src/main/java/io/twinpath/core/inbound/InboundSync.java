package io.twinpath.core.inbound;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.inbound.internal.IdsCommands;
import io.twinpath.core.inbound.internal.TransferReceiver;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.MalformedCommandException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one device's inbound mail in step with its peers over signed commands.
 *
 * <ul>
 *   <li>{@code inbound.reconcile} carries the binary reconciliation messages (base64 in {@code
 *       data}); any device can start one ({@link #reconcileWith}) and every device answers.
 *   <li>After decoding, a device that wants the messages it lacks (the host, whose sink delivers
 *       into the Maildir) asks for them one by one with {@code inbound.get} ({@code id}, {@code
 *       offset}, {@code max}); the holder answers with {@code inbound.chunk}s ({@code id}, {@code
 *       offset}, {@code size}, {@code sha256}, {@code data}) of at most {@link #CHUNK_BYTES}, up to
 *       {@code max} bytes, and the receiver asks for the next window. Chunks are appended to a
 *       partial file, so a transfer resumes where it stopped after a restart; the whole message is
 *       checked against its size and SHA-256 before it is delivered. A device that does not want
 *       the bytes (a secondary) records the ids as known.
 *   <li>Ids the peer lacks are announced with {@code inbound.have}; a stored transfer is confirmed
 *       with {@code inbound.have} too, upon which the holder frees its copy.
 *   <li>A secondary that fetched new mail, or sees the host come online, sends {@code inbound.held}
 *       with the ids it holds; the host confirms those it has ({@code inbound.have}) — this frees
 *       copies of messages both devices fetched — and reconciles.
 *   <li>{@code inbound.gone}: the holder no longer has the bytes asked for.
 *   <li>{@code inbound.forget}: bounded retention ({@link #prune}); the receiver drops these old
 *       ids from its known set, except those whose bytes it holds.
 * </ul>
 *
 * <p>Commands arrive through {@link #onCommand} (the device's command dispatcher passes every type
 * starting with {@code inbound.}). Thread-safe.
 */
public final class InboundSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InboundSync.class);

  /** Every command type of this protocol starts with this. */
  public static final String PREFIX = "inbound.";

  /** Bytes of message data in one chunk (about 44 KB on the wire as base64 with its envelope). */
  public static final int CHUNK_BYTES = 32 * 1024;

  /** Bytes asked for by one {@code inbound.get}. */
  public static final int WINDOW_BYTES = 256 * 1024;

  private final DeviceId self;
  private final TwinpathListener listener;
  private final InboundSink sink;
  private final InboundStore store;
  private final PeerChannel channel;
  private final ReconcileResponder responder;
  private final TransferReceiver receiver;
  private final ScheduledExecutorService timer;
  private final long timeoutMillis;
  private final Map<Integer, Session> sessions = new HashMap<>();

  /**
   * Per peer: ids known here before this instant were in the set the peer had after the last
   * reconciliation this device started (a minute's margin for ids being added meanwhile).
   */
  private final Map<DeviceId, java.time.Instant> confirmed = new HashMap<>();

  /** Per peer: ids this device forgot and told the peer to forget, until it no longer has them. */
  private final Map<DeviceId, Set<InboundId>> forgetting = new HashMap<>();

  private static final java.time.Duration CONFIRM_MARGIN = java.time.Duration.ofMinutes(1);

  private static final class Session {
    final DeviceId peer;
    final ReconcileInitiator initiator;
    final java.time.Instant started;
    final CompletableFuture<ReconcileResult> done = new CompletableFuture<>();
    volatile int answers;

    Session(DeviceId peer, ReconcileInitiator initiator, java.time.Instant started) {
      this.peer = peer;
      this.initiator = initiator;
      this.started = started;
    }
  }

  /**
   * @param timeoutMillis how long a reconciliation may wait for the peer's next answer
   */
  public InboundSync(DeviceId self, InboundSink sink, PeerChannel channel, long timeoutMillis) {
    this(self, sink, channel, timeoutMillis, new TwinpathListener() {});
  }

  /**
   * @param timeoutMillis how long a reconciliation may wait for the peer's next answer
   * @param listener receives {@code inboundReconciled} and {@code inboundStored} events
   */
  public InboundSync(
      DeviceId self,
      InboundSink sink,
      PeerChannel channel,
      long timeoutMillis,
      TwinpathListener listener) {
    this.listener = listener;
    this.self = self;
    this.sink = sink;
    this.store = sink.store();
    this.channel = channel;
    this.responder = Reconciliation.responder(store.ids());
    this.timeoutMillis = timeoutMillis;
    this.receiver = new TransferReceiver(store, sink, channel, listener, timeoutMillis);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-inbound-" + self.value());
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(50, timeoutMillis / 2);
    timer.scheduleWithFixedDelay(receiver::checkStalls, every, every, TimeUnit.MILLISECONDS);
  }

  /** True for the command types this class handles. */
  public static boolean handles(String type) {
    return type.startsWith(PREFIX);
  }

  /**
   * Starts a reconciliation with {@code peer}. The future completes with its result once the
   * difference is known (transfers of missing messages then continue in the background), or
   * exceptionally when the peer does not answer in time.
   */
  public CompletableFuture<ReconcileResult> reconcileWith(DeviceId peer) {
    java.time.Instant started = store.clock().instant();
    ReconcileInitiator ini = Reconciliation.initiate(store.ids());
    Session s = new Session(peer, ini, started);
    synchronized (this) {
      sessions.put(ini.session(), s);
    }
    byte[] hello;
    synchronized (ini) {
      hello = ini.hello();
    }
    sendReconcile(peer, hello);
    armTimeout(ini.session(), 0);
    return s.done;
  }

  /**
   * Reacts to a peer's presence (forward {@code TwinpathListener.peerPresence} here): when a peer
   * comes online, a device that wants missing messages (the host) reconciles with it, and a
   * secondary tells it which messages it holds.
   */
  public void onPeerPresence(DeviceId peer, boolean online) {
    if (peer.equals(self)) {
      return;
    }
    receiver.forgetTransfers(
        peer); // a transfer cut by the peer's absence restarts from what arrived
    if (!online) {
      return;
    }
    if (sink.wantsMissingMessages()) {
      reconcileWith(peer)
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  LOG.info("Reconciliation with {} did not finish: {}", peer, e.getMessage());
                }
              });
    } else {
      announceHeld(peer);
    }
  }

  /**
   * After a fetch over this device's own path: a secondary that stored new mail tells the host
   * (which confirms or fetches it); the host has nothing to do.
   */
  public void onFetched(MailFetcher.Report report, DeviceId host) {
    if (report.stored() > 0 && !sink.wantsMissingMessages()) {
      announceHeld(host);
    }
  }

  /**
   * Tells a host which messages this device holds (after a fetch, or when the host came online).
   */
  public void announceHeld(DeviceId host) {
    List<InboundId> held = store.held();
    for (int i = 0; i < held.size(); i += IdsCommands.MAX_IDS_PER_COMMAND) {
      JsonObject f = new JsonObject();
      f.add(
          "ids",
          IdsCommands.idArray(
              held.subList(i, Math.min(held.size(), i + IdsCommands.MAX_IDS_PER_COMMAND))));
      channel.send(host, "inbound.held", f);
    }
    if (held.isEmpty()) {
      channel.send(host, "inbound.held", IdsCommands.idsField(List.of()));
    }
  }

  /** Handles one verified command whose type starts with {@link #PREFIX}; never throws. */
  public void onCommand(Command c) {
    try {
      switch (c.type()) {
        case "inbound.reconcile" ->
            onReconcile(c.from(), Base64.getDecoder().decode(c.string("data")));
        case "inbound.get" -> onGet(c);
        case "inbound.chunk" -> receiver.onChunk(c);
        case "inbound.have" -> onHave(IdsCommands.ids(c));
        case "inbound.held" -> onHeld(c.from(), IdsCommands.ids(c));
        case "inbound.gone" -> receiver.onGone(c.from(), InboundId.parse(c.string("id")));
        case "inbound.forget" -> onForget(c.from(), IdsCommands.ids(c));
        default -> LOG.warn("Ignored an unknown inbound command {} from {}", c.type(), c.from());
      }
    } catch (MalformedCommandException | IllegalArgumentException e) {
      LOG.warn("Ignored a malformed {} from {}: {}", c.type(), c.from(), e.getMessage());
    } catch (IOException e) {
      LOG.warn("Could not handle {} from {}: {}", c.type(), c.from(), e.toString());
    }
  }

  private void onReconcile(DeviceId from, byte[] data) {
    if (data.length == 0) {
      return;
    }
    int type = data[0] & 0xff;
    boolean forResponder = type == 0x11 || type == 0x14 || type == 0x15;
    if (type == 0x16 && data.length >= 5) {
      // an ABORT may be for either role: our session if we have it
      int session = java.nio.ByteBuffer.wrap(data, 1, 4).getInt();
      synchronized (this) {
        forResponder = !sessions.containsKey(session);
      }
    }
    if (forResponder) {
      byte[] reply = responder.onMessage(data);
      if (reply != null) {
        sendReconcile(from, reply);
      }
      return;
    }
    if (data.length < 5) {
      return;
    }
    int session = java.nio.ByteBuffer.wrap(data, 1, 4).getInt();
    Session s;
    synchronized (this) {
      s = sessions.get(session);
    }
    if (s == null || !s.peer.equals(from)) {
      return; // late or foreign
    }
    ReconcileInitiator.Step step;
    int answers;
    synchronized (s.initiator) {
      step = s.initiator.onMessage(data);
      answers = ++s.answers;
    }
    byte[] reply = step.reply();
    if (reply != null) {
      sendReconcile(from, reply);
    }
    ReconcileResult result = step.result();
    if (result == null) {
      armTimeout(session, answers);
      return;
    }
    synchronized (this) {
      sessions.remove(session);
    }
    LOG.info("Reconciled inbound mail with {}: {}", from, result);
    listener.inboundReconciled(
        from,
        result.succeeded() ? result.missingHere().size() : -1,
        result.missingThere().size(),
        result.bytesTotal(),
        result.roundTrips());
    if (result.succeeded()) {
      synchronized (this) {
        confirmed.put(from, s.started.minus(CONFIRM_MARGIN));
      }
      try {
        act(from, result);
      } catch (IOException e) {
        LOG.warn("Could not act on the reconciliation with {}: {}", from, e.toString());
      }
    }
    s.done.complete(result);
  }

  /** What a decoded difference means for this device. */
  private void act(DeviceId peer, ReconcileResult r) throws IOException {
    if (!r.missingThere().isEmpty()) {
      IdsCommands.sendIds(channel, peer, "inbound.have", r.missingThere());
    }
    List<InboundId> missingHere = new ArrayList<>(r.missingHere());
    List<InboundId> stillThere = new ArrayList<>();
    synchronized (this) {
      Set<InboundId> f = forgetting.get(peer);
      if (f != null) {
        for (InboundId id : missingHere) {
          if (f.contains(id)) {
            stillThere.add(id); // forgotten here, not yet there: not missing
          }
        }
        f.retainAll(stillThere);
        if (f.isEmpty()) {
          forgetting.remove(peer);
        }
      }
    }
    if (!stillThere.isEmpty()) {
      missingHere.removeAll(stillThere);
      IdsCommands.sendIds(channel, peer, "inbound.forget", stillThere);
    }
    if (missingHere.isEmpty()) {
      return;
    }
    if (!sink.wantsMissingMessages()) {
      store.markKnown(missingHere);
      return;
    }
    receiver.want(peer, missingHere);
  }

  private void onGet(Command c) throws MalformedCommandException, IOException {
    InboundId id = InboundId.parse(c.string("id"));
    long offset = c.number("offset");
    long max = Math.min(Math.max(c.number("max"), 1), 4L * WINDOW_BYTES);
    var size = store.heldSize(id);
    if (size.isEmpty() || offset < 0 || offset > size.get()) {
      JsonObject f = new JsonObject();
      f.addProperty("id", id.toString());
      channel.send(c.from(), "inbound.gone", f);
      return;
    }
    long total = size.get();
    String sha = store.heldSha256(id);
    long end = Math.min(total, offset + max);
    long pos = offset;
    do {
      byte[] data = store.readHeld(id, pos, (int) Math.min(CHUNK_BYTES, end - pos));
      JsonObject f = new JsonObject();
      f.addProperty("id", id.toString());
      f.addProperty("offset", pos);
      f.addProperty("size", total);
      f.addProperty("sha256", sha);
      f.addProperty("data", Base64.getEncoder().encodeToString(data));
      channel.send(c.from(), "inbound.chunk", f);
      pos += data.length;
    } while (pos < end);
  }

  private void onHave(List<InboundId> ids) throws IOException {
    store.markKnown(ids);
    for (InboundId id : ids) {
      store.release(id);
    }
  }

  private void onForget(DeviceId peer, List<InboundId> ids) throws IOException {
    int n = store.forget(ids); // never what is held here
    LOG.info("Forgot {} old inbound ids as {} asked", n, peer);
  }

  /**
   * Bounded retention (the host calls this, e.g. daily): forgets the ids that became known here
   * more than {@code retention} ago and that every one of {@code peers} had after the last
   * reconciliation this device started with it, and tells those peers to forget them too. A peer
   * not reconciled with since this device started blocks it (nothing is forgotten). The ids leave
   * the reconciled sets and {@code known.ids} on both sides; until a peer has dropped them, they
   * are not taken for missing here. Returns how many were forgotten.
   */
  public int prune(java.time.Duration retention, java.util.Collection<DeviceId> peers)
      throws IOException {
    java.time.Instant cutoff = store.clock().instant().minus(retention);
    synchronized (this) {
      for (DeviceId p : peers) {
        java.time.Instant c = confirmed.get(p);
        if (c == null) {
          LOG.debug("Not pruning inbound ids: no reconciliation with {} yet", p);
          return 0;
        }
        if (c.isBefore(cutoff)) {
          cutoff = c;
        }
      }
    }
    List<InboundId> old = store.knownBefore(cutoff);
    if (old.isEmpty()) {
      return 0;
    }
    for (DeviceId p : peers) {
      synchronized (this) {
        forgetting.computeIfAbsent(p, k -> new HashSet<>()).addAll(old);
      }
      IdsCommands.sendIds(channel, p, "inbound.forget", old);
    }
    int n = store.forget(old);
    LOG.info("Forgot {} inbound ids known since before {} (held by every peer)", n, cutoff);
    return n;
  }

  private void onHeld(DeviceId peer, List<InboundId> ids) throws IOException {
    List<InboundId> known = new ArrayList<>();
    boolean unknown = false;
    Set<InboundId> forgot;
    synchronized (this) {
      forgot = Set.copyOf(forgetting.getOrDefault(peer, Set.of()));
    }
    for (InboundId id : ids) {
      if (store.knows(id) || forgot.contains(id)) {
        known.add(id);
      } else {
        unknown = true;
      }
    }
    if (!known.isEmpty()) {
      IdsCommands.sendIds(channel, peer, "inbound.have", known);
    }
    if (unknown && sink.wantsMissingMessages()) {
      reconcileWith(peer);
    }
  }

  private void sendReconcile(DeviceId to, byte[] data) {
    JsonObject f = new JsonObject();
    f.addProperty("data", Base64.getEncoder().encodeToString(data));
    channel.send(to, "inbound.reconcile", f);
  }

  /** Fails the session when no further answer arrives within the timeout. */
  private void armTimeout(int session, int answersSoFar) {
    timer.schedule(
        () -> {
          Session s;
          synchronized (this) {
            s = sessions.get(session);
            if (s == null || s.answers != answersSoFar) {
              return;
            }
            sessions.remove(session);
          }
          s.done.completeExceptionally(
              new TimeoutException(
                  s.peer + " did not answer the reconciliation within " + timeoutMillis + " ms"));
        },
        timeoutMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Number of reconciliations this device started that have not ended. */
  public synchronized int openReconciliations() {
    return sessions.size();
  }

  /** Messages this device is still waiting to receive. */
  public int pendingTransfers() {
    return receiver.pendingTransfers();
  }

  public DeviceId self() {
    return self;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  @Override
  public String toString() {
    return "InboundSync " + self + " " + (sink.wantsMissingMessages() ? "(host)" : "(secondary)");
  }
}
