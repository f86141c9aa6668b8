package io.twinpath.core.engine.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.AttemptResult;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.Json;
import io.twinpath.core.wire.MalformedCommandException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outcomes: the final result of an item, decided here or announced by a peer ({@code outcome}).
 * Applies ANNOUNCE_OUTCOME, MARK_EXPIRED, MARK_CANCELLED, REPLY_OUTCOME and FINISH, which stops
 * everything about the item on this device and reports the outcome.
 */
final class OutcomeHandler {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeHandler.class);
  private static final List<String> RESULTS =
      List.of(ItemRecord.DELIVERED, ItemRecord.FAILED, ItemRecord.EXPIRED, ItemRecord.CANCELLED);

  private final EngineParts e;
  private final CopyTransfer copies;
  private final AttemptRunner attempts;
  private final TurnHandler turns;

  OutcomeHandler(
      EngineParts e,
      CopyTransfer copies,
      AttemptRunner attempts,
      TurnHandler turns,
      CommandRegistry commands) {
    this.e = e;
    this.copies = copies;
    this.attempts = attempts;
    this.turns = turns;
    commands.type("outcome", this::onOutcome);
    e.machine.on(
        Action.ANNOUNCE_OUTCOME,
        (r, t, d) -> {
          decide(r, t, d);
          e.outbox.broadcastOutcome(r);
        });
    e.machine.on(Action.MARK_EXPIRED, (r, t, d) -> markExpired(r));
    e.machine.on(Action.MARK_CANCELLED, (r, t, d) -> markCancelled(r));
    e.machine.on(Action.FINISH, (r, t, d) -> finish(r, d));
    e.machine.on(
        Action.REPLY_OUTCOME,
        (r, t, d) -> {
          if (d.from != null) {
            e.outbox.replyOutcome(d.from, r);
          }
        });
  }

  private void markCancelled(ItemRecord r) {
    r.result = ItemRecord.CANCELLED;
    r.resultAt = e.clock.instant();
    r.resultPath = e.self;
    r.resultReply = "cancelled on " + e.self;
  }

  private void markExpired(ItemRecord r) {
    r.result = ItemRecord.EXPIRED;
    r.resultAt = e.clock.instant();
    r.resultPath = null;
    r.resultReply = "expired at " + r.meta.expiresAt() + " without delivery";
  }

  /** The outcome of this device's attempt (a delivery beats any other result). */
  private void decide(ItemRecord r, Trigger trigger, TriggerData d) {
    if (trigger == Trigger.EXPIRED || trigger == Trigger.CANCELLED) {
      return; // MARK_EXPIRED or MARK_CANCELLED set it
    }
    AttemptResult res = d.result;
    if (res == null) {
      return;
    }
    boolean delivered = trigger == Trigger.ATTEMPT_DELIVERED;
    if (ItemRecord.DELIVERED.equals(r.result) && !delivered) {
      return;
    }
    r.result = delivered ? ItemRecord.DELIVERED : ItemRecord.FAILED;
    r.resultPath = e.self;
    r.resultAt = e.clock.instant();
    r.resultReply = res.reply();
  }

  private void finish(ItemRecord r, TriggerData d) {
    ItemId id = r.meta.id();
    String before = r.result == null ? null : r.result + "@" + r.resultPath;
    JsonObject o = d.outcome;
    if (o != null) {
      String result = o.get("result").getAsString();
      boolean better = r.result == null || rank(result) > rank(r.result);
      Checks.mergeRecipients(r, o);
      boolean knewMore = r.knowsMoreDuplicatesThan(o);
      if (r.mergeDuplicates(o)) {
        String p = Json.string(o, "path");
        DeviceId by = d.from != null ? d.from : p != null ? DeviceId.of(p) : e.self;
        e.events.possibleDuplicate(id, by, r.duplicates);
        e.status.refresh(r);
      }
      if (!better && deliveredTwice(r, result, o)) {
        r.deliveredTwiceCounted = true;
        r.countDuplicate(e.self);
        e.events.possibleDuplicate(id, e.self, r.duplicates);
        e.status.refresh(r);
        if (d.from != null) {
          e.outbox.broadcastOutcome(r); // the peers keep the new count too
        }
      }
      if (better) {
        r.result = result;
        String p = Json.string(o, "path");
        r.resultPath = p == null ? null : DeviceId.of(p);
        String at = Json.string(o, "at");
        r.resultAt = at == null ? e.clock.instant() : Instant.parse(at);
        r.resultReply = Json.string(o, "reply");
      }
      if (knewMore && d.from != null) {
        e.outbox.replyOutcome(d.from, r); // the peer keeps the same count in its outcome
      }
    }
    if (r.doneAt == null) {
      r.doneAt = e.clock.instant();
    }
    turns.cancelTakeover(id);
    attempts.cancelBackoff(id);
    e.expiry.cancel(id);
    copies.drop(id);
    r.copyComplete = false;
    try {
      e.store.delete(id);
    } catch (IOException x) {
      LOG.error("{}: could not delete the copy of {}: {}", e.self, id, x.getMessage());
    }
    String after = r.result == null ? null : r.result + "@" + r.resultPath;
    if (!Objects.equals(before, after) || o == null) {
      e.status.report(r);
    }
  }

  /**
   * Whether {@code o} reports a delivery over another device's path while this device delivered
   * too, and this device's delivery is the later one (by the two {@code at} times, which both
   * devices compare alike; a tie goes to the larger device id), not counted yet. Both attempts ran
   * at once (a takeover while the holder was cut off from the broker but still sending): the
   * recipient has two copies. Exactly one of the two devices counts it.
   */
  private boolean deliveredTwice(ItemRecord r, String result, JsonObject o) {
    if (r.deliveredTwiceCounted
        || !ItemRecord.DELIVERED.equals(result)
        || !ItemRecord.DELIVERED.equals(r.result)
        || !Objects.equals(e.self, r.resultPath)
        || r.resultAt == null) {
      return false;
    }
    String p = Json.string(o, "path");
    String at = Json.string(o, "at");
    if (p == null || at == null || p.equals(e.self.value())) {
      return false;
    }
    Instant theirs = Instant.parse(at);
    int c = r.resultAt.compareTo(theirs);
    return c > 0 || (c == 0 && e.self.value().compareTo(p) > 0);
  }

  private static int rank(String result) {
    switch (result) {
      case ItemRecord.DELIVERED:
        return 3;
      case ItemRecord.FAILED:
        return 2;
      default:
        return 1;
    }
  }

  private void onOutcome(Command c) throws MalformedCommandException {
    JsonObject b = c.body();
    ItemId id = Checks.itemId(c.string("item"));
    String result = c.string("result");
    if (!RESULTS.contains(result)) {
      throw new MalformedCommandException("the result '" + result + "' is unknown");
    }
    c.number("duplicates");
    Checks.duplicatesBy(c);
    Checks.recipients(c);
    String path = Json.string(b, "path");
    if (b.has("path") && path == null) {
      throw new MalformedCommandException(
          "the outcome's 'path' is not a device id: " + b.get("path"));
    }
    if (path != null) {
      try {
        DeviceId.of(path);
      } catch (IllegalArgumentException x) {
        throw new MalformedCommandException("the outcome's 'path' is refused: " + x.getMessage());
      }
    }
    if (b.has("at") && !b.get("at").isJsonNull()) {
      String at = Json.string(b, "at");
      try {
        Instant.parse(at == null ? String.valueOf(b.get("at")) : at);
      } catch (DateTimeParseException x) {
        throw new MalformedCommandException(
            "the outcome's 'at' is not an ISO-8601 instant: " + b.get("at"));
      }
    }
    if (b.has("reply") && Json.string(b, "reply") == null && !b.get("reply").isJsonNull()) {
      throw new MalformedCommandException("the outcome's 'reply' is not text: " + b.get("reply"));
    }
    ItemRecord r = e.records.get(id);
    if (r != null
        && ItemRecord.CANCELLED.equals(result)
        && !c.from().equals(r.meta.origin())
        && !r.meta.origin().toString().equals(path)) {
      throw new MalformedCommandException(
          "only "
              + r.meta.origin()
              + ", where item "
              + id
              + " was queued, may cancel it; "
              + c.from()
              + " sent a cancellation naming "
              + (path == null ? "no device" : path));
    }
    if (r == null) {
      // never heard of it (no copy arrived yet): delete any partial copy and remember nothing
      try {
        e.store.delete(id);
      } catch (IOException x) {
        LOG.warn("{}: could not delete a partial copy of {}: {}", e.self, id, x.getMessage());
      }
      return;
    }
    TriggerData d = new TriggerData();
    d.outcome = b;
    d.from = c.from();
    e.machine.fire(r, Trigger.OUTCOME, d);
  }
}
