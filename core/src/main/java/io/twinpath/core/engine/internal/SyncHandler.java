package io.twinpath.core.engine.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Scheduler;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.MalformedCommandException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync: asks peers what they know of items ({@code sync}, numbered by {@code ask}), answers
 * peers that ask ({@code synced}, echoing the number, after their turns and outcomes), and lets
 * each item go on once the peers answered or the wait ended. Used after a restart (items whose
 * peers may have sent them while this device was away wait for those peers) and to confirm a
 * granted turn before attempting under it (CONFIRM_TURN): the granter's answer comes after
 * everything it sent before, so a turn that was overtaken (a takeover, an outcome still queued for
 * this device at the broker) is never acted on. Owns the sync timer; REQUEST_SYNC is sent once for
 * all items.
 */
final class SyncHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SyncHandler.class);

  /**
   * How long a device waits for its connection's marker before it stops waiting for what the broker
   * kept for it (a broker that does not deliver a client's own messages back).
   */
  static final Duration CATCH_UP_WAIT = Duration.ofSeconds(30);

  /**
   * The most asks kept waiting for an answer; older ones are forgotten (their answer ignored). Each
   * grant sends one, so a peer announcing a few hundred items again sends as many: the bound is far
   * above that.
   */
  private static final int ASKS_KEPT = 4096;

  private final EngineParts e;
  private final CopyTransfer copies;
  private final Set<DeviceId> answered = new HashSet<>();

  /**
   * The asks sent by this run of the engine and not yet answered, by number. An answer to any other
   * number (a {@code synced} to an earlier run's {@code sync}, still queued at the broker) says
   * nothing about what the peer knows now, and is ignored.
   */
  private final Map<Long, DeviceId> asks =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DeviceId> eldest) {
          return size() > ASKS_KEPT;
        }
      };

  /** The next ask number: random per run, so one run's numbers are not another's. */
  private long nextAsk = new SecureRandom().nextLong() >>> 2;

  /**
   * Items granted to this device that wait for the granter's answer before an attempt, with the
   * first ask number that confirms them (an answer to an earlier ask was sent before the grant).
   */
  private final Map<ItemId, Confirm> confirming = new HashMap<>();

  private final TimerMap confirmTimers = new TimerMap();

  private record Confirm(DeviceId granter, long sinceAsk) {}

  /**
   * Items this device holds the turn of that wait, after a restart, for peers that did not answer
   * and could have taken them over meanwhile.
   */
  private final Map<ItemId, Set<DeviceId>> waitingFor = new HashMap<>();

  /** When this device was last known connected before this start (its alive mark), or null. */
  private @Nullable Instant lastAlive;

  private Scheduler.@Nullable Cancellable timer;

  SyncHandler(EngineParts e, CopyTransfer copies, CommandRegistry commands) {
    this.e = e;
    this.copies = copies;
    commands.type("sync", this::onSync);
    commands.type("synced", this::onSynced);
    // the request itself is sent once for all items by resume()
    e.machine.on(Action.REQUEST_SYNC, (r, t, d) -> {});
    e.machine.on(Action.CONFIRM_TURN, (r, t, d) -> confirm(r, d.from));
    e.machine.onLeave(Phase.SYNCING, r -> forget(r.meta.id()));
  }

  /** Asks {@code peer} about {@code items}; returns the ask's number. */
  long ask(DeviceId peer, List<ItemId> items) {
    long n = nextAsk++;
    asks.put(n, peer);
    JsonObject f = new JsonObject();
    f.add("items", Outbox.ids(items));
    f.addProperty("ask", n);
    e.outbox.send("sync", peer, f);
    return n;
  }

  /**
   * A turn granted by {@code granter} is acted on only once the granter answered a sync sent after
   * it: the grant may have been overtaken by a takeover or an outcome still on its way (queued for
   * this device at the broker while it was away). Until then the item is {@code SYNCING}.
   */
  private void confirm(ItemRecord r, @Nullable DeviceId granter) {
    ItemId id = r.meta.id();
    if (granter == null || granter.equals(e.self)) {
      end(r);
      return;
    }
    long n = ask(granter, List.of(id));
    confirming.put(id, new Confirm(granter, n));
    confirmTimers.cancel(id);
    if (!e.peers.isOnline(granter)) {
      granterAway(id, granter);
    }
  }

  /**
   * The granter of an item waiting for confirmation is offline: once this device has received what
   * the broker kept for it (its connection's marker came back, or {@link #CATCH_UP_WAIT} passed: a
   * later takeover or outcome of the granter would be in there) and the takeover delay agreed with
   * the granter passed, the grant stands, as a takeover would.
   */
  private void granterAway(ItemId id, DeviceId granter) {
    boolean caughtUp = e.peers.isCaughtUp();
    Duration delay =
        caughtUp ? e.peers.takeoverDelayWith(granter, e.settings.takeoverDelay()) : CATCH_UP_WAIT;
    confirmTimers.put(
        id,
        e.scheduler.schedule(
            delay,
            () ->
                e.loop.post(
                    () -> {
                      confirmTimers.remove(id);
                      Confirm c = confirming.get(id);
                      ItemRecord r = e.records.get(id);
                      if (c == null || r == null || !c.granter().equals(granter)) {
                        return;
                      }
                      if (e.peers.isOnline(granter)) {
                        return; // it came back: its answer to the sync asked again decides
                      }
                      if (e.peers.connectedSince() == null) {
                        granterAway(id, granter); // not connected: nothing can be heard now
                        return;
                      }
                      if (caughtUp || e.peers.isCaughtUp()) {
                        LOG.info(
                            "{}: {} granted the turn of {} and stayed offline; going on with it",
                            e.self,
                            granter,
                            id);
                        end(r);
                      } else {
                        LOG.info(
                            "{}: no word of what the broker kept for {} after {}; counting the"
                                + " takeover delay for {} from now",
                            e.self,
                            e.self,
                            CATCH_UP_WAIT,
                            id);
                        e.peers.caughtUp();
                        granterAway(id, granter);
                      }
                    })));
  }

  /** What the broker kept for this device has arrived: grants of offline granters are timed. */
  void caughtUp() {
    for (Map.Entry<ItemId, Confirm> en : new ArrayList<>(confirming.entrySet())) {
      DeviceId g = en.getValue().granter();
      if (!e.peers.isOnline(g)) {
        confirmTimers.cancel(en.getKey());
        granterAway(en.getKey(), g);
      }
    }
  }

  /** A peer's presence changed: grants waiting for it are asked again, or timed. */
  void peerPresence(DeviceId peer, boolean online) {
    for (Map.Entry<ItemId, Confirm> en : new ArrayList<>(confirming.entrySet())) {
      if (!en.getValue().granter().equals(peer)) {
        continue;
      }
      if (online) {
        confirmTimers.cancel(en.getKey());
      } else if (!confirmTimers.has(en.getKey())) {
        granterAway(en.getKey(), peer);
      }
    }
  }

  /**
   * After a start: every unfinished item syncs with the peers before anything is attempted; copies
   * this device originated are offered again.
   *
   * @param lastAlive when this device was last known connected before, or null
   */
  void resume(@Nullable Instant lastAlive) {
    this.lastAlive = lastAlive;
    List<ItemId> toSync = new ArrayList<>();
    for (ItemRecord r : e.records.all()) {
      Trigger restarted = r.finalDotSent ? Trigger.RESTARTED_AFTER_FINAL_DOT : Trigger.RESTARTED;
      if (r.phase == Phase.DONE) {
        if (r.finalDotSent) {
          e.machine.fire(r, restarted);
        }
        continue;
      }
      r.copyComplete = e.store.get(r.meta.id()).isPresent();
      e.expiry.schedule(r);
      e.machine.fire(r, restarted);
      toSync.add(r.meta.id());
      if (r.meta.origin().equals(e.self) && r.copyComplete) {
        copies.offer(r, null, false);
      }
    }
    if (!toSync.isEmpty()) {
      for (DeviceId peer : e.peers.others()) {
        ask(peer, toSync);
      }
      timer = e.scheduler.schedule(e.settings.syncTimeout(), () -> e.loop.post(this::finish));
    }
    e.status.markDirty();
  }

  /** Whether the item waits for peers that did not answer, or for its granter's answer. */
  boolean isWaiting(ItemId id) {
    return waitingFor.containsKey(id) || confirming.containsKey(id);
  }

  /** Stops waiting for the peers that did not answer: the item goes on now. */
  void goOn(ItemRecord r) {
    r.lastFailure = null;
    end(r);
  }

  /** The item finished or moved on: it no longer waits for a confirmation. */
  void forget(ItemId id) {
    confirming.remove(id);
    confirmTimers.cancel(id);
  }

  private void finish() {
    Scheduler.Cancellable t = timer;
    if (t != null) {
      t.cancel();
      timer = null;
    }
    Duration away = lastAlive == null ? null : Duration.between(lastAlive, e.clock.instant());
    // a peer takes the turn over only takeoverDelay after this device went away: a shorter
    // absence (from the last alive mark to the end of this wait) cannot have let one do it; the
    // delay is the shortest any peer announced, since a peer waits no longer than that
    Duration delay = e.peers.shortestTakeoverDelay(e.settings.takeoverDelay());
    boolean longAway = away == null || away.compareTo(delay) >= 0;
    for (ItemRecord r : e.records.all()) {
      if (r.phase != Phase.SYNCING || confirming.containsKey(r.meta.id())) {
        continue; // a grant waiting for its granter is not the restart's to end
      }
      if (Objects.equals(e.self, r.holder) && longAway) {
        Set<DeviceId> risky = new TreeSet<>();
        Set<DeviceId> holding = new TreeSet<>();
        for (String d : r.copiedTo) {
          holding.add(DeviceId.of(d));
        }
        holding.add(r.meta.origin()); // the origin always holds the item itself
        holding.remove(e.self);
        for (DeviceId peer : holding) {
          if (e.peers.inOrder(peer) && !answered.contains(peer)) {
            risky.add(peer); // it holds a complete copy, did not answer, and had time to send
          }
        }
        if (!risky.isEmpty()) {
          waitingFor.put(r.meta.id(), risky);
          r.lastFailure =
              "waiting for "
                  + risky
                  + ": it may have sent the item while this device was away; queue retry sends"
                  + " it anyway";
          LOG.warn(
              "{}: {} waits for {}, which may have taken it over while {} was away ({}); retry it"
                  + " to send it anyway",
              e.self,
              r.meta.id(),
              risky,
              e.self,
              away == null ? "for an unknown time" : away.toSeconds() + " s");
          e.status.markDirty();
          continue;
        }
      }
      end(r);
    }
  }

  /** The sync of an item is over: it goes on as the holder or waits for the holder. */
  private void end(ItemRecord r) {
    waitingFor.remove(r.meta.id());
    boolean grant = confirming.containsKey(r.meta.id());
    forget(r.meta.id());
    if (r.phase != Phase.SYNCING) {
      return;
    }
    if (grant && Objects.equals(e.self, r.holder)) {
      e.machine.fire(
          r, r.copyComplete ? Trigger.GRANT_CONFIRMED_WITH_COPY : Trigger.GRANT_CONFIRMED_NO_COPY);
      return;
    }
    if (Objects.equals(e.self, r.holder)) {
      e.machine.fire(
          r, r.copyComplete ? Trigger.SYNCED_HOLDER_WITH_COPY : Trigger.SYNCED_HOLDER_NO_COPY);
    } else {
      e.machine.fire(r, Trigger.SYNCED_NOT_HOLDER);
    }
  }

  private void onSync(Command c) throws MalformedCommandException {
    JsonArray list = c.body().getAsJsonArray("items");
    if (list == null) {
      throw new MalformedCommandException("sync has no 'items' list");
    }
    List<ItemId> asked = new ArrayList<>();
    for (JsonElement x : list) {
      asked.add(Checks.itemId(x.getAsString()));
    }
    for (ItemId id : asked) {
      ItemRecord r = e.records.get(id);
      if (r == null) {
        continue;
      }
      if (r.phase == Phase.DONE) {
        e.outbox.replyOutcome(c.from(), r);
      } else if (r.holder != null && r.epoch >= 0) {
        JsonObject f = Outbox.turnFields(r, "sync", null, false);
        f.addProperty("delayMs", 0);
        e.outbox.send("turn", c.from(), f);
      }
    }
    JsonObject f = new JsonObject();
    f.add("items", Outbox.ids(asked));
    if (c.body().has("ask")) {
      f.addProperty("ask", c.number("ask"));
    }
    e.outbox.send("synced", c.from(), f);
  }

  private void onSynced(Command c) throws MalformedCommandException {
    long n = c.body().has("ask") ? c.number("ask") : -1;
    DeviceId askedOf = n < 0 ? null : asks.get(n);
    if (askedOf == null || !askedOf.equals(c.from())) {
      // an answer to a sync this run did not send (an earlier run's, kept at the broker): what
      // the peer knew then is no answer now
      LOG.debug("{}: ignoring an answer from {} to a sync not asked by this run", e.self, c.from());
      return;
    }
    asks.remove(n);
    for (Map.Entry<ItemId, Confirm> en : new ArrayList<>(confirming.entrySet())) {
      Confirm k = en.getValue();
      if (k.granter().equals(c.from()) && n >= k.sinceAsk()) {
        ItemRecord r = e.records.get(en.getKey());
        if (r != null && r.phase == Phase.SYNCING && !waitingFor.containsKey(en.getKey())) {
          end(r);
        } else {
          forget(en.getKey());
        }
      }
    }
    answered.add(c.from());
    if (timer != null && answered.containsAll(e.peers.others())) {
      finish();
    }
    // items that waited for this peer: its turn or outcome came before this answer
    for (Map.Entry<ItemId, Set<DeviceId>> en : new ArrayList<>(waitingFor.entrySet())) {
      en.getValue().remove(c.from());
      ItemRecord r = e.records.get(en.getKey());
      if (r == null || r.phase != Phase.SYNCING) {
        waitingFor.remove(en.getKey());
      } else if (en.getValue().isEmpty()) {
        r.lastFailure = null;
        end(r);
      }
    }
  }

  /** Asks a peer that came back about the items waiting for it. */
  void resync(DeviceId peer) {
    List<ItemId> asked = new ArrayList<>();
    waitingFor.forEach(
        (id, peers) -> {
          if (peers.contains(peer)) {
            asked.add(id);
          }
        });
    confirming.forEach(
        (id, k) -> {
          if (k.granter().equals(peer) && !asked.contains(id)) {
            asked.add(id);
          }
        });
    if (!asked.isEmpty()) {
      ask(peer, asked);
    }
  }
}
