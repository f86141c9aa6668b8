package io.twinpath.core.engine.internal;

import static io.twinpath.core.engine.internal.Action.ADOPT_EPOCH;
import static io.twinpath.core.engine.internal.Action.ANNOUNCE_OUTCOME;
import static io.twinpath.core.engine.internal.Action.CANCEL_TAKEOVER;
import static io.twinpath.core.engine.internal.Action.CONFIRM_TURN;
import static io.twinpath.core.engine.internal.Action.COUNT_DUPLICATE;
import static io.twinpath.core.engine.internal.Action.FINISH;
import static io.twinpath.core.engine.internal.Action.MARK_CANCELLED;
import static io.twinpath.core.engine.internal.Action.MARK_EXPIRED;
import static io.twinpath.core.engine.internal.Action.PASS_TURN;
import static io.twinpath.core.engine.internal.Action.RECORD_FAILURE;
import static io.twinpath.core.engine.internal.Action.REJECT_STALE;
import static io.twinpath.core.engine.internal.Action.REPLY_OUTCOME;
import static io.twinpath.core.engine.internal.Action.REPLY_TURN;
import static io.twinpath.core.engine.internal.Action.REQUEST_SYNC;
import static io.twinpath.core.engine.internal.Action.SCHEDULE_ATTEMPT;
import static io.twinpath.core.engine.internal.Action.SCHEDULE_TAKEOVER;
import static io.twinpath.core.engine.internal.Action.START_ATTEMPT;
import static io.twinpath.core.engine.internal.Action.START_COPY;
import static io.twinpath.core.engine.internal.Action.TAKE_TURN;
import static io.twinpath.core.engine.internal.Phase.ATTEMPTING;
import static io.twinpath.core.engine.internal.Phase.BACKOFF;
import static io.twinpath.core.engine.internal.Phase.DONE;
import static io.twinpath.core.engine.internal.Phase.SYNCING;
import static io.twinpath.core.engine.internal.Phase.WAITING;
import static io.twinpath.core.engine.internal.Phase.WAIT_COPY;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The send-coordination state machine of one device for one item, as a table: phase × trigger →
 * next phase + actions. Pure: no I/O, no time, no randomness. Every cell is defined; a cell not
 * written out below keeps the phase and does nothing ("ignored"), which is itself part of the table
 * and shown in {@code docs/PROTOCOL.md}.
 */
public final class TransitionTable {
  private TransitionTable() {}

  /** The transition for {@code phase} on {@code trigger}; never null. */
  public static Transition next(Phase phase, Trigger trigger) {
    Map<Trigger, Transition> row = Objects.requireNonNull(TABLE.get(phase), "phase");
    return Objects.requireNonNull(row.get(trigger), "trigger");
  }

  private static final Phase[] LIVE = {WAITING, WAIT_COPY, BACKOFF, ATTEMPTING, SYNCING};
  private static final Phase[] NOT_ATTEMPTING = {WAITING, WAIT_COPY, BACKOFF, SYNCING};
  private static final Map<Phase, Map<Trigger, Transition>> TABLE = build();

  private static Map<Phase, Map<Trigger, Transition>> build() {
    Map<Phase, Map<Trigger, Transition>> t = new EnumMap<>(Phase.class);
    for (Phase p : Phase.values()) {
      Map<Trigger, Transition> row = new EnumMap<>(Trigger.class);
      for (Trigger tr : Trigger.values()) {
        row.put(tr, new Transition(p, List.of()));
      }
      t.put(p, row);
    }

    // the origin queues the item: it copies to every peer and attempts at once, in parallel
    put(t, WAITING, Trigger.SUBMITTED, ATTEMPTING, START_COPY, START_ATTEMPT);

    // success ends it everywhere; a delivery is a fact even if the turn moved meanwhile
    for (Phase p : LIVE) {
      put(t, p, Trigger.ATTEMPT_DELIVERED, DONE, ANNOUNCE_OUTCOME, FINISH);
    }
    put(t, DONE, Trigger.ATTEMPT_DELIVERED, DONE, COUNT_DUPLICATE, ANNOUNCE_OUTCOME);

    // permanent: nobody else tries; the outcome goes to every peer (the origin reports it)
    put(t, ATTEMPTING, Trigger.ATTEMPT_PERMANENT, DONE, RECORD_FAILURE, ANNOUNCE_OUTCOME, FINISH);
    // temporary: the turn passes on, or stays here after a backoff when nobody else is reachable
    put(t, ATTEMPTING, Trigger.ATTEMPT_TEMPORARY_PASS, WAITING, RECORD_FAILURE, PASS_TURN);
    put(t, ATTEMPTING, Trigger.ATTEMPT_TEMPORARY_KEEP, BACKOFF, RECORD_FAILURE, SCHEDULE_ATTEMPT);
    // ambiguous: at-least-once; counted and shown as a possible duplicate, then like temporary
    put(
        t,
        ATTEMPTING,
        Trigger.ATTEMPT_AMBIGUOUS_PASS,
        WAITING,
        COUNT_DUPLICATE,
        RECORD_FAILURE,
        PASS_TURN);
    put(
        t,
        ATTEMPTING,
        Trigger.ATTEMPT_AMBIGUOUS_KEEP,
        BACKOFF,
        COUNT_DUPLICATE,
        RECORD_FAILURE,
        SCHEDULE_ATTEMPT);
    // results of an attempt whose turn was fenced off meanwhile: reported, nothing else
    for (Phase p : NOT_ATTEMPTING) {
      put(t, p, Trigger.ATTEMPT_PERMANENT, p, RECORD_FAILURE);
      put(t, p, Trigger.ATTEMPT_TEMPORARY_PASS, p, RECORD_FAILURE);
      put(t, p, Trigger.ATTEMPT_TEMPORARY_KEEP, p, RECORD_FAILURE);
      put(t, p, Trigger.ATTEMPT_AMBIGUOUS_PASS, p, COUNT_DUPLICATE, RECORD_FAILURE);
      put(t, p, Trigger.ATTEMPT_AMBIGUOUS_KEEP, p, COUNT_DUPLICATE, RECORD_FAILURE);
    }
    put(t, DONE, Trigger.ATTEMPT_AMBIGUOUS_PASS, DONE, COUNT_DUPLICATE);
    put(t, DONE, Trigger.ATTEMPT_AMBIGUOUS_KEEP, DONE, COUNT_DUPLICATE);

    // turns: act only under the newest epoch, and only once the granter answered a sync sent
    // after the grant (a takeover or an outcome that overtook the grant arrives before that answer)
    for (Phase p : new Phase[] {WAITING, WAIT_COPY, BACKOFF, SYNCING}) {
      put(t, p, Trigger.TURN_GRANTED_WITH_COPY, SYNCING, ADOPT_EPOCH, CONFIRM_TURN);
      put(t, p, Trigger.TURN_GRANTED_NO_COPY, SYNCING, ADOPT_EPOCH, CONFIRM_TURN);
    }
    put(t, ATTEMPTING, Trigger.TURN_GRANTED_WITH_COPY, ATTEMPTING, ADOPT_EPOCH);
    put(t, ATTEMPTING, Trigger.TURN_GRANTED_NO_COPY, ATTEMPTING, ADOPT_EPOCH);
    for (Phase p : LIVE) {
      put(t, p, Trigger.TURN_ELSEWHERE, WAITING, ADOPT_EPOCH, CANCEL_TAKEOVER);
      // a stale turn is answered with the newer one, so its sender catches up
      put(t, p, Trigger.TURN_STALE, p, REJECT_STALE, REPLY_TURN);
    }
    put(t, DONE, Trigger.TURN_GRANTED_WITH_COPY, DONE, REPLY_OUTCOME);
    put(t, DONE, Trigger.TURN_GRANTED_NO_COPY, DONE, REPLY_OUTCOME);
    put(t, DONE, Trigger.TURN_ELSEWHERE, DONE, REPLY_OUTCOME);
    put(t, DONE, Trigger.TURN_STALE, DONE, REJECT_STALE, REPLY_OUTCOME);

    // a final outcome from a peer; FINISH merges (delivered beats expired) and is idempotent
    for (Phase p : LIVE) {
      put(t, p, Trigger.OUTCOME, DONE, FINISH);
    }
    put(t, DONE, Trigger.OUTCOME, DONE, FINISH);

    // takeover when the holder's last will fires
    put(t, WAITING, Trigger.HOLDER_OFFLINE, WAITING, SCHEDULE_TAKEOVER);
    put(t, WAITING, Trigger.HOLDER_ONLINE, WAITING, CANCEL_TAKEOVER);
    put(t, WAITING, Trigger.TAKEOVER_DUE_WITH_COPY, ATTEMPTING, TAKE_TURN, START_ATTEMPT);
    put(t, WAITING, Trigger.TAKEOVER_DUE_NO_COPY, WAIT_COPY, TAKE_TURN);

    put(t, BACKOFF, Trigger.BACKOFF_DUE, ATTEMPTING, START_ATTEMPT);
    put(t, WAIT_COPY, Trigger.COPY_COMPLETE, ATTEMPTING, START_ATTEMPT);

    // expiry; an attempt already running decides first (its result re-checks expiry)
    for (Phase p : NOT_ATTEMPTING) {
      put(t, p, Trigger.EXPIRED, DONE, MARK_EXPIRED, ANNOUNCE_OUTCOME, FINISH);
      put(t, p, Trigger.CANCELLED, DONE, MARK_CANCELLED, ANNOUNCE_OUTCOME, FINISH);
    }

    // restart: learn outcomes before attempting anything
    // a restart counts a possible duplicate only when a final dot may have gone out unanswered
    for (Phase p : LIVE) {
      put(t, p, Trigger.RESTARTED, SYNCING, REQUEST_SYNC);
      put(t, p, Trigger.RESTARTED_AFTER_FINAL_DOT, SYNCING, COUNT_DUPLICATE, REQUEST_SYNC);
    }
    put(t, DONE, Trigger.RESTARTED_AFTER_FINAL_DOT, DONE, COUNT_DUPLICATE);
    put(t, SYNCING, Trigger.SYNCED_HOLDER_WITH_COPY, BACKOFF, SCHEDULE_ATTEMPT);
    put(t, SYNCING, Trigger.SYNCED_HOLDER_NO_COPY, WAIT_COPY);
    put(t, SYNCING, Trigger.SYNCED_NOT_HOLDER, WAITING);
    // a grant confirmed by its granter: the turn's backoff, then the attempt
    put(t, SYNCING, Trigger.GRANT_CONFIRMED_WITH_COPY, BACKOFF, SCHEDULE_ATTEMPT);
    put(t, SYNCING, Trigger.GRANT_CONFIRMED_NO_COPY, WAIT_COPY);
    return t;
  }

  private static void put(
      Map<Phase, Map<Trigger, Transition>> t, Phase from, Trigger on, Phase to, Action... actions) {
    Objects.requireNonNull(t.get(from), "from").put(on, new Transition(to, List.of(actions)));
  }

  /** The whole table as Markdown, one row per trigger and one column per phase. */
  public static String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("| trigger \\ phase |");
    for (Phase p : Phase.values()) {
      b.append(' ').append(p).append(" |");
    }
    b.append('\n').append("| --- |");
    for (int i = 0; i < Phase.values().length; i++) {
      b.append(" --- |");
    }
    b.append('\n');
    for (Trigger tr : Trigger.values()) {
      b.append("| ").append(tr).append(" |");
      for (Phase p : Phase.values()) {
        Transition x = next(p, tr);
        List<String> parts = new ArrayList<>();
        if (x.next() != p) {
          parts.add("→ " + x.next());
        }
        for (Action a : x.actions()) {
          parts.add(a.name().toLowerCase(java.util.Locale.ROOT));
        }
        b.append(' ').append(parts.isEmpty() ? "·" : String.join(", ", parts)).append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }
}
