package io.twinpath.core.engine.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.AttemptResult;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.Json;
import io.twinpath.core.wire.MalformedCommandException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turn: who may attempt an item, under per-item epochs. Handles {@code turn} commands, applies
 * PASS_TURN, TAKE_TURN, ADOPT_EPOCH, REJECT_STALE, REPLY_TURN, and owns the takeover timer
 * (SCHEDULE_TAKEOVER, CANCEL_TAKEOVER) started when the holder's last will fires or this device
 * loses the broker the holder was reached through.
 */
final class TurnHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TurnHandler.class);

  private final EngineParts e;
  private final AttemptRunner attempts;
  private final TimerMap takeover = new TimerMap();

  TurnHandler(EngineParts e, AttemptRunner attempts, CommandRegistry commands) {
    this.e = e;
    this.attempts = attempts;
    commands.type("turn", this::onTurn);
    e.machine.on(Action.PASS_TURN, (r, t, d) -> passTurn(r, d));
    e.machine.on(Action.TAKE_TURN, (r, t, d) -> takeTurn(r));
    e.machine.on(Action.ADOPT_EPOCH, (r, t, d) -> adopt(r, Objects.requireNonNull(d.turn)));
    e.machine.on(Action.REJECT_STALE, (r, t, d) -> rejectStale(r, d));
    e.machine.on(Action.REPLY_TURN, (r, t, d) -> replyTurn(r, d));
    e.machine.on(Action.SCHEDULE_TAKEOVER, (r, t, d) -> scheduleTakeover(r));
    e.machine.on(Action.CANCEL_TAKEOVER, (r, t, d) -> takeover.cancel(r.meta.id()));
    e.machine.onEnter(Phase.WAITING, this::checkHolder);
  }

  /** The item finished: no takeover is due for it any more. */
  void cancelTakeover(ItemId id) {
    takeover.cancel(id);
  }

  /** The trigger for a takeover due now: with or without a complete copy here. */
  static Trigger takeoverDue(ItemRecord r) {
    return r.copyComplete ? Trigger.TAKEOVER_DUE_WITH_COPY : Trigger.TAKEOVER_DUE_NO_COPY;
  }

  /** Takes the turn of an item whose holder is offline now, without waiting for the delay. */
  void takeOverNow(ItemRecord r) {
    takeover.cancel(r.meta.id());
    e.machine.fire(r, takeoverDue(r));
  }

  /** A presence change of {@code device}: it may hold the turn of unfinished items. */
  void holderPresence(DeviceId device, boolean online) {
    for (ItemRecord r : e.records.all()) {
      if (r.phase == Phase.DONE || !Objects.equals(device, r.holder)) {
        continue;
      }
      if (online) {
        e.machine.fire(r, Trigger.HOLDER_ONLINE);
      } else if (e.peers.isNextAfter(device)) {
        e.machine.fire(r, Trigger.HOLDER_OFFLINE);
      }
    }
  }

  /** An item came to wait for another holder: is that one gone already? */
  private void checkHolder(ItemRecord r) {
    DeviceId h = r.holder;
    if (h != null
        && !h.equals(e.self)
        && Boolean.FALSE.equals(e.peers.state(h))
        && e.peers.isNextAfter(h)) {
      e.machine.fire(r, Trigger.HOLDER_OFFLINE);
    }
  }

  private void onTurn(Command c) throws MalformedCommandException {
    JsonObject b = c.body();
    ItemMeta meta = ItemMeta.fromJson(b.get("meta"));
    long epoch = c.number("epoch");
    DeviceId holder;
    try {
      holder = DeviceId.of(c.string("holder"));
    } catch (IllegalArgumentException x) {
      throw new MalformedCommandException(
          Objects.requireNonNullElse(x.getMessage(), "holder is not a device id"));
    }
    if (!e.peers.epochBelongsTo(epoch, holder)) {
      throw new MalformedCommandException(
          "epoch " + epoch + " does not belong to " + holder + " in the configured order");
    }
    c.number("round");
    c.number("delayMs");
    c.number("attempts");
    c.number("duplicates");
    Checks.duplicatesBy(c);
    Checks.recipients(c);
    if (e.refuseForgotten(c, meta)) {
      return;
    }
    boolean existed = e.records.has(meta.id());
    ItemRecord r = e.recordFor(meta);
    if (!existed) {
      r.epoch = -1; // any epoch is newer than nothing
    }
    TriggerData d = new TriggerData();
    d.turn = b;
    d.from = c.from();
    if (epoch < r.epoch) {
      d.why =
          "a stale turn for "
              + meta.id()
              + " (epoch "
              + epoch
              + "; the newest known here is "
              + r.epoch
              + ")";
      e.machine.fire(r, Trigger.TURN_STALE, d);
    } else if (epoch == r.epoch) {
      if (r.phase == Phase.DONE) {
        e.outbox.replyOutcome(c.from(), r);
      }
    } else if (holder.equals(e.self)) {
      e.machine.fire(
          r, r.copyComplete ? Trigger.TURN_GRANTED_WITH_COPY : Trigger.TURN_GRANTED_NO_COPY, d);
    } else {
      e.machine.fire(r, Trigger.TURN_ELSEWHERE, d);
    }
  }

  private void passTurn(ItemRecord r, TriggerData d) {
    DeviceId next = e.peers.nextReachable();
    if (next == null) {
      return; // another device was reachable a moment ago; the trigger guarantees it
    }
    int nextIndex = e.peers.indexOf(next);
    if (nextIndex <= e.peers.selfIndex()) {
      r.round++;
    }
    r.delayMs = attempts.jittered(e.settings.backoff(r.round));
    r.epoch = e.peers.nextEpochFor(r.epoch, nextIndex);
    r.holder = next;
    AttemptResult res = d.result;
    String reason = res == null ? "passed" : res.reply();
    e.outbox.broadcastTurn(
        r, reason, res == null ? null : AttemptRunner.failureClass(res.outcome()), false);
    e.events.turnPassed(r.meta.id(), e.self, next, r.epoch, reason);
  }

  private void takeTurn(ItemRecord r) {
    DeviceId offline = r.holder;
    r.epoch = e.peers.nextEpochFor(r.epoch, e.peers.selfIndex());
    r.holder = e.self;
    r.delayMs = 0;
    e.outbox.broadcastTurn(
        r, "takeover: " + offline + " went offline holding the turn", null, true);
    if (offline != null) {
      e.events.takeover(r.meta.id(), offline, e.self, r.epoch);
    }
  }

  private void adopt(ItemRecord r, JsonObject turn) {
    r.epoch = turn.get("epoch").getAsLong();
    DeviceId holder = DeviceId.of(turn.get("holder").getAsString());
    r.holder = holder;
    r.round = Math.max(r.round, turn.get("round").getAsInt());
    // the granter's backoff for this round, but never longer than this device's own: each device
    // decides how long to wait before trying its own path again
    long theirs = turn.get("delayMs").getAsLong();
    r.delayMs =
        holder.equals(e.self) && theirs > 0
            ? Math.min(theirs, attempts.jittered(e.settings.backoff(r.round)))
            : theirs;
    r.attempts = Math.max(r.attempts, turn.get("attempts").getAsInt());
    if (r.mergeDuplicates(turn)) {
      e.events.possibleDuplicate(r.meta.id(), holder, r.duplicates);
    }
    Checks.mergeRecipients(r, turn);
    String reason = Json.string(turn, "reason");
    if (reason != null && !reason.startsWith("sync")) {
      r.lastFailure = reason;
      r.lastFailureClass = Json.string(turn, "failure");
    }
  }

  private void rejectStale(ItemRecord r, TriggerData d) {
    e.events.commandRejected(
        d.from == null ? null : d.from.value(),
        d.why == null ? "a stale turn for item " + r.meta.id() : d.why);
  }

  private void scheduleTakeover(ItemRecord r) {
    ItemId id = r.meta.id();
    if (takeover.has(id)) {
      return;
    }
    DeviceId holder = Objects.requireNonNull(r.holder);
    Duration delay = e.peers.takeoverDelayWith(holder, e.settings.takeoverDelay());
    armTakeover(id, holder, r.epoch, delay);
    LOG.info(
        "{}: {} holds the turn of {} and {}; taking over in {} unless it returns",
        e.self,
        holder,
        id,
        e.peers.lostWithLink(holder) ? "cannot be reached (the broker was lost)" : "went offline",
        delay);
  }

  private void armTakeover(ItemId id, DeviceId holder, long epoch, Duration delay) {
    takeover.put(
        id, e.scheduler.schedule(delay, () -> e.loop.post(() -> takeoverDue(id, holder, epoch))));
  }

  private void takeoverDue(ItemId id, DeviceId holder, long epoch) {
    takeover.remove(id);
    ItemRecord x = e.records.get(id);
    if (x == null
        || x.epoch != epoch
        || !Objects.equals(x.holder, holder)
        || e.peers.isOnline(holder)
        || !e.peers.isNextAfter(holder)) {
      return;
    }
    if (e.peers.lostWithLink(holder)) {
      // nothing was heard of the holder since this device lost its broker: it may be attempting
      // still; take over only after this device has been connected again for syncTimeout (time
      // for the holder's retained state, or its new online, to arrive) without hearing of it
      Duration grace = e.settings.syncTimeout();
      Instant since = e.peers.connectedSince();
      Duration connected =
          since == null ? Duration.ZERO : Duration.between(since, e.clock.instant());
      if (connected.compareTo(grace) < 0) {
        armTakeover(id, holder, epoch, since == null ? grace : grace.minus(connected));
        return;
      }
    }
    e.machine.fire(x, takeoverDue(x));
  }

  /** Answers the sender of a stale turn with the newer turn known here. */
  private void replyTurn(ItemRecord r, TriggerData d) {
    DeviceId to = d.from;
    if (to == null || r.holder == null || r.epoch < 0) {
      return;
    }
    JsonObject f = Outbox.turnFields(r, "sync: a newer turn", null, false);
    e.outbox.send("turn", to, f);
  }
}
