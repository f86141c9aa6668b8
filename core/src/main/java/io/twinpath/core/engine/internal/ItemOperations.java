package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.engine.OperationResult;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.status.DeviceStatus;
import java.util.Optional;

/**
 * What the user of this device does to items: queue one, ask for its outcome, attempt it now,
 * cancel it. Engine thread only; the answers say why when nothing changes.
 */
final class ItemOperations {
  private final EngineParts e;
  private final AttemptRunner attempts;
  private final TurnHandler turns;
  private final SyncHandler sync;

  ItemOperations(EngineParts e, AttemptRunner attempts, TurnHandler turns, SyncHandler sync) {
    this.e = e;
    this.attempts = attempts;
    this.turns = turns;
    this.sync = sync;
  }

  void submit(ItemMeta item) {
    if (!item.origin().equals(e.self)) {
      throw new IllegalArgumentException(
          "item " + item.id() + " comes from " + item.origin() + "; submit it there");
    }
    if (e.records.has(item.id())) {
      return; // known already (perhaps finished and deleted since it was listed)
    }
    if (e.store.get(item.id()).isEmpty()) {
      throw new IllegalArgumentException("item " + item.id() + " is not in the store");
    }
    ItemRecord r = new ItemRecord(item);
    r.epoch = e.peers.selfIndex();
    r.holder = e.self;
    r.copyComplete = true;
    e.records.put(r);
    e.expiry.schedule(r);
    e.machine.fire(r, Trigger.SUBMITTED);
  }

  Optional<DeviceStatus.Outcome> outcome(ItemId id) {
    ItemRecord r = e.records.get(id);
    return r == null || r.result == null ? Optional.empty() : Optional.of(StatusBook.outcomeOf(r));
  }

  OperationResult attemptNow(ItemId id) {
    ItemRecord r = e.records.get(id);
    DeviceId self = e.self;
    if (r == null) {
      return new OperationResult(false, "item " + id + " is not known on " + self);
    }
    DeviceId h = r.holder;
    switch (r.phase) {
      case DONE:
        return new OperationResult(false, "item " + id + " is finished: " + r.result);
      case ATTEMPTING:
        return new OperationResult(true, "item " + id + " is being attempted right now on " + self);
      case BACKOFF:
        attempts.endBackoff(r);
        return new OperationResult(true, "item " + id + " is attempted now on " + self);
      case WAIT_COPY:
        return new OperationResult(
            false,
            "item "
                + id
                + " waits for its copy from "
                + r.meta.origin()
                + "; "
                + self
                + " attempts it as soon as the copy is complete");
      case SYNCING:
        if (sync.isWaiting(id)) {
          sync.goOn(r);
          return new OperationResult(
              true,
              "item "
                  + id
                  + " no longer waits for the peers that did not answer; "
                  + self
                  + " goes on with it now (if one of them sent it meanwhile, it is"
                  + " delivered twice)");
        }
        return new OperationResult(
            false,
            self
                + " restarted and is asking its peers about item "
                + id
                + "; it goes on in a moment");
      default:
        if (h != null && !h.equals(self) && !e.peers.isOnline(h) && e.peers.isNextAfter(h)) {
          turns.takeOverNow(r);
          return new OperationResult(
              true,
              h
                  + " holds the turn of item "
                  + id
                  + " and is offline; "
                  + self
                  + " took the turn and attempts "
                  + (r.copyComplete ? "now" : "once its copy is complete"));
        }
        return new OperationResult(
            false,
            "item "
                + id
                + " is in "
                + h
                + "'s hands ("
                + (e.peers.isOnline(h) ? "online" : "offline")
                + "); it attempts on its own schedule and passes the turn back on failure");
    }
  }

  OperationResult cancel(ItemId id) {
    ItemRecord r = e.records.get(id);
    DeviceId self = e.self;
    if (r == null) {
      return new OperationResult(false, "item " + id + " is not known on " + self);
    }
    if (r.phase == Phase.DONE) {
      return new OperationResult(false, "item " + id + " is already finished: " + r.result);
    }
    if (!r.meta.origin().equals(self)) {
      return new OperationResult(
          false, "item " + id + " was queued on " + r.meta.origin() + "; cancel it there");
    }
    if (r.phase == Phase.ATTEMPTING || attempts.isRunning(id)) {
      return new OperationResult(
          false,
          "item "
              + id
              + " is being attempted right now on "
              + self
              + "; try again when the attempt has ended");
    }
    DeviceId h = r.holder;
    e.machine.fire(r, Trigger.CANCELLED);
    String msg = "item " + id + " is cancelled; every peer is told to delete its copy";
    if (h != null && !h.equals(self)) {
      msg +=
          "; if "
              + h
              + " is sending it at this very moment, that attempt may still deliver it"
              + " (status then says delivered)";
    }
    return new OperationResult(true, msg);
  }
}
