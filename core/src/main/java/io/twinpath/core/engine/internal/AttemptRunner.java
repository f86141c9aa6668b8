package io.twinpath.core.engine.internal;

import io.twinpath.core.engine.AttemptResult;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.engine.SendPath;
import io.twinpath.core.event.FailureClass;
import io.twinpath.core.item.ItemId;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempts on this device's send path: runs each on its own thread, turns its result into the
 * trigger the table decides on, and owns the backoff timer. Applies START_ATTEMPT,
 * SCHEDULE_ATTEMPT, COUNT_DUPLICATE and RECORD_FAILURE.
 */
final class AttemptRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

  private final EngineParts e;
  private final @Nullable SendPath path;
  private final ExecutorService threads;
  private final Random random = new Random();
  private final Set<ItemId> running = new HashSet<>();
  private final TimerMap backoff = new TimerMap();

  AttemptRunner(EngineParts e, @Nullable SendPath path) {
    this.e = e;
    this.path = path;
    String name = "twinpath-" + e.self.value() + "-attempt";
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    e.machine.on(Action.START_ATTEMPT, (r, t, d) -> start(r));
    e.machine.on(Action.SCHEDULE_ATTEMPT, this::scheduleAttempt);
    e.machine.on(Action.COUNT_DUPLICATE, (r, t, d) -> countDuplicate(r, t));
    e.machine.on(Action.RECORD_FAILURE, (r, t, d) -> recordFailure(r, d));
    e.machine.onLeave(Phase.BACKOFF, r -> backoff.cancel(r.meta.id()));
  }

  /** Whether an attempt of the item runs on this device now. */
  boolean isRunning(ItemId id) {
    return running.contains(id);
  }

  /** Ends the backoff of an item now: it is attempted at once. */
  void endBackoff(ItemRecord r) {
    backoff.cancel(r.meta.id());
    e.machine.fire(r, Trigger.BACKOFF_DUE);
  }

  /** The item finished: no backoff runs out for it any more. */
  void cancelBackoff(ItemId id) {
    backoff.cancel(id);
  }

  /** Stops the attempt threads (a running attempt is interrupted). */
  void close() {
    threads.shutdownNow();
  }

  static FailureClass failureClass(AttemptResult.Outcome o) {
    switch (o) {
      case PERMANENT:
        return FailureClass.PERMANENT;
      case AMBIGUOUS:
        return FailureClass.AMBIGUOUS;
      default:
        return FailureClass.TEMPORARY;
    }
  }

  /** {@code d} spread by the configured jitter. */
  long jittered(Duration d) {
    long ms = d.toMillis();
    if (ms == 0 || e.settings.jitter() == 0) {
      return ms;
    }
    double spread = e.settings.jitter() * (2 * random.nextDouble() - 1);
    return Math.max(0, Math.round(ms * (1 + spread)));
  }

  private void scheduleAttempt(ItemRecord r, Trigger trigger, TriggerData d) {
    ItemId id = r.meta.id();
    long delay = trigger == Trigger.SYNCED_HOLDER_WITH_COPY ? 0 : r.delayMs;
    long epoch = r.epoch;
    backoff.put(
        id,
        e.scheduler.schedule(
            Duration.ofMillis(delay),
            () ->
                e.loop.post(
                    () -> {
                      ItemRecord x = e.records.get(id);
                      if (x != null && x.epoch == epoch) {
                        backoff.remove(id);
                        e.machine.fire(x, Trigger.BACKOFF_DUE);
                      }
                    })));
  }

  private void countDuplicate(ItemRecord r, Trigger t) {
    r.countDuplicate(e.self);
    r.finalDotSent = false; // counted once
    if (t == Trigger.ATTEMPT_DELIVERED) {
      r.deliveredTwiceCounted = true; // delivered after another device did: this is the count
    }
    e.events.possibleDuplicate(r.meta.id(), e.self, r.duplicates);
    if (r.phase == Phase.DONE) {
      e.status.refresh(r);
      if (t != Trigger.ATTEMPT_DELIVERED) {
        e.outbox.broadcastOutcome(r); // finished already: the peers keep the new count too
      }
    }
  }

  private void recordFailure(ItemRecord r, TriggerData d) {
    AttemptResult res = d.result;
    if (res != null) {
      r.lastFailure = res.reply();
      r.lastFailureClass = failureClass(res.outcome()).name();
      e.events.attemptFailed(r.meta.id(), e.self, failureClass(res.outcome()), res.reply());
    }
  }

  private void start(ItemRecord r) {
    ItemId id = r.meta.id();
    if (running.contains(id)) {
      return; // the running attempt's result decides
    }
    SendPath p = path;
    r.attempts++;
    r.finalDotSent = false;
    long epoch = r.epoch;
    e.status.attempted();
    e.events.attemptStarted(id, e.self, epoch, r.attempts);
    if (p == null) {
      AttemptResult none = AttemptResult.temporary(e.self + " has no send path configured");
      e.loop.post(() -> onResult(id, none));
      running.add(id);
      return;
    }
    Set<String> skip = Set.copyOf(r.settled());
    ItemMeta meta = r.meta;
    running.add(id);
    threads.execute(
        () -> {
          AttemptResult res;
          try (InputStream in = e.store.open(id)) {
            res = p.attempt(meta, in, skip, item -> markFinalDot(id));
          } catch (IOException x) {
            res = AttemptResult.temporary("the item's bytes could not be read: " + x.getMessage());
          } catch (RuntimeException x) {
            LOG.error("{}: the send path threw for {}", e.self, id, x);
            res = AttemptResult.temporary("the send path failed: " + x);
          }
          AttemptResult done = res;
          e.loop.post(() -> onResult(id, done));
        });
  }

  /**
   * On the attempt's thread, right before its final dot: marks the item's record on disk, so that a
   * crash from now on counts a possible duplicate. When the mark cannot be saved the attempt stands
   * down without the dot (nothing is delivered, and nothing is counted).
   */
  private boolean markFinalDot(ItemId id) {
    if (e.loop.isClosed()) {
      return false;
    }
    try {
      return e.loop.call(
          () -> {
            ItemRecord r = e.records.get(id);
            if (r == null) {
              return false;
            }
            r.finalDotSent = true;
            return e.records.trySave(r);
          });
    } catch (RuntimeException x) {
      LOG.warn("{}: the final dot of {} could not be marked: {}", e.self, id, x.toString());
      return false;
    }
  }

  private void onResult(ItemId id, AttemptResult result) {
    running.remove(id);
    ItemRecord r = e.records.get(id);
    if (r == null) {
      return;
    }
    boolean pastDot = r.finalDotSent;
    r.finalDotSent = false;
    AttemptResult res = result;
    if (res.outcome() == AttemptResult.Outcome.AMBIGUOUS && !pastDot) {
      // the connection was lost, but no final dot went out: nothing can have been delivered
      res =
          new AttemptResult(
              AttemptResult.Outcome.TEMPORARY, res.reply(), res.accepted(), res.refused());
    }
    e.status.attempted();
    r.accepted.addAll(res.accepted());
    r.refused.putAll(res.refused());
    TriggerData data = new TriggerData();
    data.result = res;
    boolean canPass = e.peers.nextReachable() != null;
    Trigger t;
    switch (res.outcome()) {
      case DELIVERED:
        e.status.path(true, null);
        t = r.refused.isEmpty() ? Trigger.ATTEMPT_DELIVERED : Trigger.ATTEMPT_PERMANENT;
        break;
      case PERMANENT:
        e.status.path(true, res.reply());
        t =
            r.allRecipientsSettled() && !r.accepted.isEmpty() && r.refused.isEmpty()
                ? Trigger.ATTEMPT_DELIVERED
                : Trigger.ATTEMPT_PERMANENT;
        break;
      case AMBIGUOUS:
        e.status.path(false, res.reply());
        t = canPass ? Trigger.ATTEMPT_AMBIGUOUS_PASS : Trigger.ATTEMPT_AMBIGUOUS_KEEP;
        break;
      default:
        e.status.path(false, res.reply());
        t = canPass ? Trigger.ATTEMPT_TEMPORARY_PASS : Trigger.ATTEMPT_TEMPORARY_KEEP;
        break;
    }
    boolean expired = !e.clock.instant().isBefore(r.meta.expiresAt());
    if (expired && (t == Trigger.ATTEMPT_TEMPORARY_PASS || t == Trigger.ATTEMPT_AMBIGUOUS_PASS)) {
      t =
          t == Trigger.ATTEMPT_TEMPORARY_PASS
              ? Trigger.ATTEMPT_TEMPORARY_KEEP
              : Trigger.ATTEMPT_AMBIGUOUS_KEEP;
    }
    if (t == Trigger.ATTEMPT_TEMPORARY_KEEP || t == Trigger.ATTEMPT_AMBIGUOUS_KEEP) {
      if (r.phase == Phase.ATTEMPTING) {
        r.round++;
        r.delayMs = jittered(e.settings.backoff(r.round));
      }
    }
    Transition next = TransitionTable.next(r.phase, t);
    boolean saved = next.next() != r.phase || !next.actions().isEmpty();
    e.machine.fire(r, t, data);
    if (pastDot && !saved) {
      e.records.save(r); // the mark is cleared on disk too
    }
    if (expired && r.phase != Phase.DONE && r.phase != Phase.ATTEMPTING) {
      e.machine.fire(r, Trigger.EXPIRED);
    }
  }
}
