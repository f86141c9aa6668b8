package io.twinpath.core.engine.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Scheduler;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.MalformedCommandException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync after a restart: asks every peer what it knows of the unfinished items ({@code sync}),
 * answers peers that ask ({@code synced} after their turns and outcomes), and lets each item go on
 * once the peers answered or the wait ended. Items whose peers may have sent them while this device
 * was away wait for those peers. Owns the sync timer; REQUEST_SYNC is sent once for all items.
 */
final class SyncHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SyncHandler.class);

  private final EngineParts e;
  private final CopyTransfer copies;
  private final Set<DeviceId> answered = new HashSet<>();

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
      JsonObject f = new JsonObject();
      f.add("items", Outbox.ids(toSync));
      e.outbox.toPeers("sync", f);
      timer = e.scheduler.schedule(e.settings.syncTimeout(), () -> e.loop.post(this::finish));
    }
    e.status.markDirty();
  }

  /** Whether the item waits for peers that did not answer. */
  boolean isWaiting(ItemId id) {
    return waitingFor.containsKey(id);
  }

  /** Stops waiting for the peers that did not answer: the item goes on now. */
  void goOn(ItemRecord r) {
    r.lastFailure = null;
    end(r);
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
      if (r.phase != Phase.SYNCING) {
        continue;
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
    if (r.phase != Phase.SYNCING) {
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
    e.outbox.send("synced", c.from(), f);
  }

  private void onSynced(Command c) {
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
    if (!asked.isEmpty()) {
      JsonObject f = new JsonObject();
      f.add("items", Outbox.ids(asked));
      e.outbox.send("sync", peer, f);
    }
  }
}
