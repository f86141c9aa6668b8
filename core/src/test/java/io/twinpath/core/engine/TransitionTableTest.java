package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.engine.internal.Action;
import io.twinpath.core.engine.internal.Phase;
import io.twinpath.core.engine.internal.Transition;
import io.twinpath.core.engine.internal.TransitionTable;
import io.twinpath.core.engine.internal.Trigger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every cell of the table, checked against the protocol's rules, and the documented table. */
class TransitionTableTest {
  private static final Set<Trigger> ATTEMPT_RESULTS =
      EnumSet.of(
          Trigger.ATTEMPT_DELIVERED,
          Trigger.ATTEMPT_PERMANENT,
          Trigger.ATTEMPT_TEMPORARY_PASS,
          Trigger.ATTEMPT_TEMPORARY_KEEP,
          Trigger.ATTEMPT_AMBIGUOUS_PASS,
          Trigger.ATTEMPT_AMBIGUOUS_KEEP);

  private static final Set<Trigger> HOLDER_TURNS =
      EnumSet.of(
          Trigger.TURN_GRANTED_WITH_COPY,
          Trigger.TURN_GRANTED_NO_COPY,
          Trigger.TAKEOVER_DUE_WITH_COPY,
          Trigger.TAKEOVER_DUE_NO_COPY,
          Trigger.SYNCED_HOLDER_WITH_COPY,
          Trigger.SYNCED_HOLDER_NO_COPY,
          Trigger.GRANT_CONFIRMED_WITH_COPY,
          Trigger.GRANT_CONFIRMED_NO_COPY);

  @Test
  void everyCellObeysTheRules() {
    int cells = 0;
    for (Phase p : Phase.values()) {
      for (Trigger t : Trigger.values()) {
        Transition x = TransitionTable.next(p, t);
        String cell = p + " x " + t + " -> " + x;
        cells++;
        assertThat(x).as(cell).isNotNull();
        List<Action> a = x.actions();
        assertThat(a).as(cell + ": no action twice").doesNotHaveDuplicates();
        // DONE is absorbing: nothing finished ever starts again
        if (p == Phase.DONE) {
          assertThat(x.next()).as(cell).isEqualTo(Phase.DONE);
          assertThat(a)
              .as(cell)
              .doesNotContain(
                  Action.START_ATTEMPT,
                  Action.SCHEDULE_ATTEMPT,
                  Action.PASS_TURN,
                  Action.TAKE_TURN,
                  Action.START_COPY,
                  Action.ADOPT_EPOCH);
        }
        // an attempt starts exactly when the phase becomes ATTEMPTING from another phase
        boolean entersAttempting = p != Phase.ATTEMPTING && x.next() == Phase.ATTEMPTING;
        assertThat(x.has(Action.START_ATTEMPT)).as(cell).isEqualTo(entersAttempting);
        // a scheduled attempt always lands in BACKOFF
        if (x.has(Action.SCHEDULE_ATTEMPT)) {
          assertThat(x.next()).as(cell).isEqualTo(Phase.BACKOFF);
        }
        // at most one of: attempt now, attempt later, pass the turn
        long moves =
            a.stream()
                .filter(
                    e ->
                        e == Action.START_ATTEMPT
                            || e == Action.SCHEDULE_ATTEMPT
                            || e == Action.PASS_TURN)
                .count();
        assertThat(moves).as(cell).isLessThanOrEqualTo(1);
        // the turn passes only from a running attempt's temporary or ambiguous failure
        if (x.has(Action.PASS_TURN)) {
          assertThat(p).as(cell).isEqualTo(Phase.ATTEMPTING);
          assertThat(t)
              .as(cell)
              .isIn(Trigger.ATTEMPT_TEMPORARY_PASS, Trigger.ATTEMPT_AMBIGUOUS_PASS);
          assertThat(x.next()).as(cell).isEqualTo(Phase.WAITING);
        }
        // the holder phases are entered only by a turn for this device or a restart's sync
        if ((x.next() == Phase.BACKOFF || x.next() == Phase.WAIT_COPY) && x.next() != p) {
          assertThat(t)
              .as(cell)
              .isIn(
                  EnumSet.of(
                      Trigger.ATTEMPT_TEMPORARY_KEEP,
                      Trigger.ATTEMPT_AMBIGUOUS_KEEP,
                      Trigger.TURN_GRANTED_WITH_COPY,
                      Trigger.TURN_GRANTED_NO_COPY,
                      Trigger.TAKEOVER_DUE_NO_COPY,
                      Trigger.SYNCED_HOLDER_WITH_COPY,
                      Trigger.SYNCED_HOLDER_NO_COPY,
                      Trigger.GRANT_CONFIRMED_WITH_COPY,
                      Trigger.GRANT_CONFIRMED_NO_COPY));
        }
        // finishing: every entry into DONE finishes (delete the copy, record); only then
        if (p != Phase.DONE && x.next() == Phase.DONE) {
          assertThat(x.has(Action.FINISH)).as(cell).isTrue();
        }
        if (x.has(Action.FINISH)) {
          assertThat(x.next()).as(cell).isEqualTo(Phase.DONE);
        }
        // an outcome decided here is announced to every peer
        if (p != Phase.DONE && x.next() == Phase.DONE && t != Trigger.OUTCOME) {
          assertThat(x.has(Action.ANNOUNCE_OUTCOME)).as(cell).isTrue();
        }
        // stale turns never move anything and are always reported
        if (t == Trigger.TURN_STALE) {
          assertThat(x.next()).as(cell).isEqualTo(p);
          assertThat(x.has(Action.REJECT_STALE)).as(cell).isTrue();
          // and answered: with the newer turn, or with the outcome of a finished item
          assertThat(x.has(p == Phase.DONE ? Action.REPLY_OUTCOME : Action.REPLY_TURN))
              .as(cell)
              .isTrue();
        }
        // results of attempts in phases without a running attempt never move the turn
        if (ATTEMPT_RESULTS.contains(t)
            && p != Phase.ATTEMPTING
            && t != Trigger.ATTEMPT_DELIVERED) {
          assertThat(x.next()).as(cell).isEqualTo(p);
        }
        // ambiguity is always counted
        if (t == Trigger.ATTEMPT_AMBIGUOUS_PASS || t == Trigger.ATTEMPT_AMBIGUOUS_KEEP) {
          assertThat(x.has(Action.COUNT_DUPLICATE)).as(cell).isTrue();
        }
        // permanent failure never passes the turn or retries
        if (t == Trigger.ATTEMPT_PERMANENT) {
          assertThat(a)
              .as(cell)
              .doesNotContain(Action.PASS_TURN, Action.SCHEDULE_ATTEMPT, Action.START_ATTEMPT);
        }
        // a late turn for a finished item gets the outcome back
        if (p == Phase.DONE && t.name().startsWith("TURN_")) {
          assertThat(x.has(Action.REPLY_OUTCOME)).as(cell).isTrue();
        }
        // taking the turn or adopting one only on turn events
        if (x.has(Action.TAKE_TURN)) {
          assertThat(t).as(cell).isIn(HOLDER_TURNS);
          assertThat(p).as(cell).isEqualTo(Phase.WAITING);
        }
        // a granted turn is confirmed with its granter first and never attempted directly
        if ((t == Trigger.TURN_GRANTED_WITH_COPY || t == Trigger.TURN_GRANTED_NO_COPY)
            && p != Phase.DONE
            && p != Phase.ATTEMPTING) {
          assertThat(x.next()).as(cell).isEqualTo(Phase.SYNCING);
          assertThat(a)
              .as(cell)
              .containsExactly(Action.ADOPT_EPOCH, Action.CONFIRM_TURN)
              .doesNotContain(Action.START_ATTEMPT, Action.SCHEDULE_ATTEMPT);
        }
        // restarts sync first and never attempt directly
        if ((t == Trigger.RESTARTED || t == Trigger.RESTARTED_AFTER_FINAL_DOT) && p != Phase.DONE) {
          assertThat(x.next()).as(cell).isEqualTo(Phase.SYNCING);
          assertThat(x.has(Action.REQUEST_SYNC)).as(cell).isTrue();
        }
        // a possible duplicate is counted only where a final dot may have gone out unanswered, or
        // where a second delivery was seen
        if (x.has(Action.COUNT_DUPLICATE)) {
          assertThat(t)
              .as(cell)
              .isIn(
                  EnumSet.of(
                      Trigger.ATTEMPT_AMBIGUOUS_PASS,
                      Trigger.ATTEMPT_AMBIGUOUS_KEEP,
                      Trigger.RESTARTED_AFTER_FINAL_DOT,
                      Trigger.ATTEMPT_DELIVERED));
        }
        // leaving SYNCING happens only on news (turn, outcome, sync end, expiry, late result,
        // the user's cancel)
        if (p == Phase.SYNCING && x.next() != Phase.SYNCING) {
          assertThat(t)
              .as(cell)
              .isIn(
                  EnumSet.of(
                      Trigger.TURN_GRANTED_WITH_COPY,
                      Trigger.TURN_GRANTED_NO_COPY,
                      Trigger.TURN_ELSEWHERE,
                      Trigger.OUTCOME,
                      Trigger.EXPIRED,
                      Trigger.CANCELLED,
                      Trigger.ATTEMPT_DELIVERED,
                      Trigger.SYNCED_HOLDER_WITH_COPY,
                      Trigger.SYNCED_HOLDER_NO_COPY,
                      Trigger.SYNCED_NOT_HOLDER,
                      Trigger.GRANT_CONFIRMED_WITH_COPY,
                      Trigger.GRANT_CONFIRMED_NO_COPY));
        }
      }
    }
    assertThat(cells).isEqualTo(Phase.values().length * Trigger.values().length);
  }

  @Test
  void theProtocolsKeyCells() {
    assertThat(TransitionTable.next(Phase.WAITING, Trigger.SUBMITTED))
        .isEqualTo(
            new Transition(Phase.ATTEMPTING, List.of(Action.START_COPY, Action.START_ATTEMPT)));
    assertThat(TransitionTable.next(Phase.ATTEMPTING, Trigger.ATTEMPT_TEMPORARY_PASS))
        .isEqualTo(new Transition(Phase.WAITING, List.of(Action.RECORD_FAILURE, Action.PASS_TURN)));
    assertThat(TransitionTable.next(Phase.ATTEMPTING, Trigger.ATTEMPT_PERMANENT).next())
        .isEqualTo(Phase.DONE);
    assertThat(TransitionTable.next(Phase.WAITING, Trigger.TAKEOVER_DUE_WITH_COPY))
        .isEqualTo(
            new Transition(Phase.ATTEMPTING, List.of(Action.TAKE_TURN, Action.START_ATTEMPT)));
    assertThat(TransitionTable.next(Phase.ATTEMPTING, Trigger.TURN_ELSEWHERE).next())
        .isEqualTo(Phase.WAITING);
    // a restart counts a possible duplicate only when the record says a final dot went out
    assertThat(TransitionTable.next(Phase.ATTEMPTING, Trigger.RESTARTED).actions())
        .containsExactly(Action.REQUEST_SYNC);
    assertThat(TransitionTable.next(Phase.ATTEMPTING, Trigger.RESTARTED_AFTER_FINAL_DOT).actions())
        .containsExactly(Action.COUNT_DUPLICATE, Action.REQUEST_SYNC);
    assertThat(TransitionTable.next(Phase.ATTEMPTING, Trigger.EXPIRED))
        .isEqualTo(new Transition(Phase.ATTEMPTING, List.of()));
  }

  @Test
  void theDocumentedTableIsTheTableInTheCode() throws Exception {
    Path doc = Path.of("..", "docs", "PROTOCOL.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    assertThat(text)
        .as("docs/PROTOCOL.md must contain TransitionTable.markdown() verbatim")
        .contains(TransitionTable.markdown());
  }
}
