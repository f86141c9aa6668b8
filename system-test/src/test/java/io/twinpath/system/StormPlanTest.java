package io.twinpath.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.system.StormPlan.Action;
import io.twinpath.system.StormPlan.PathState;
import io.twinpath.system.StormPlan.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A storm's plan is the seed's: the same every time, within the storm's bounds. */
class StormPlanTest {
  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
    StormPlan a = StormPlan.draw(14, false, 40, Duration.ofSeconds(80));
    StormPlan b = StormPlan.draw(14, false, 40, Duration.ofSeconds(80));
    StormPlan c = StormPlan.draw(15, false, 40, Duration.ofSeconds(80));
    assertThat(a).isEqualTo(b);
    assertThat(a.steps()).isNotEqualTo(c.steps());
  }

  @Test
  void chaosEveryOneToSixSecondsOnPartsThatAreUpAndEverythingUpAtTheEnd() {
    for (long seed = 1; seed <= 50; seed++) {
      boolean external = seed % 2 == 0;
      StormPlan plan = StormPlan.draw(seed, external, 200, Duration.ofSeconds(80));
      assertThat(plan.submissions()).hasSize(200).isSorted();
      assertThat(plan.submissions().get(1) - plan.submissions().get(0)).isEqualTo(400);
      List<Step> steps = plan.steps();
      assertThat(steps.get(steps.size() - 1).action()).isEqualTo(Action.END);
      assertThat(steps.stream().mapToLong(Step::atMillis).toArray()).isSorted();
      if (!external) {
        assertThat(plan.count(Action.KILL_BROKER)).isZero();
      }

      long last = 0;
      boolean hostUp = true;
      boolean dongleUp = true;
      boolean brokerUp = true;
      PathState path = PathState.HEALTHY;
      for (Step s : steps) {
        if (isChaos(s.action())) {
          long gap = s.atMillis() - last;
          assertThat(gap).as("seed %d: %s", seed, s).isBetween(1000L, 6000L);
          assertThat(s.atMillis()).isLessThan(plan.chaosMillis() * StormPlan.HORIZON);
          last = s.atMillis();
        }
        switch (s.action()) {
          case KILL_HOST -> {
            assertThat(hostUp).as("seed %d: %s kills a host that is up", seed, s).isTrue();
            hostUp = false;
          }
          case KILL_DONGLE -> {
            assertThat(dongleUp).as("seed %d: %s", seed, s).isTrue();
            dongleUp = false;
          }
          case KILL_BROKER -> {
            assertThat(brokerUp).as("seed %d: %s", seed, s).isTrue();
            brokerUp = false;
          }
          case START_HOST -> hostUp = true;
          case START_DONGLE -> dongleUp = true;
          case START_BROKER -> brokerUp = true;
          case PATH -> {
            assertThat(s.path()).as("seed %d: %s flips", seed, s).isNotEqualTo(path);
            path = s.path();
          }
          case END -> {
            assertThat(hostUp && dongleUp && brokerUp)
                .as("seed %d: all up at the end", seed)
                .isTrue();
            assertThat(s.atMillis()).isGreaterThanOrEqualTo(plan.chaosMillis() * StormPlan.HORIZON);
          }
        }
      }
      // each kill is followed by its start 0.5-3 s later
      for (Action kill : List.of(Action.KILL_HOST, Action.KILL_DONGLE, Action.KILL_BROKER)) {
        Action start = Action.valueOf("START_" + kill.name().substring("KILL_".length()));
        List<Long> kills = times(steps, kill);
        List<Long> starts = times(steps, start);
        assertThat(starts).hasSameSizeAs(kills);
        for (int i = 0; i < kills.size(); i++) {
          assertThat(starts.get(i) - kills.get(i)).isBetween(500L, 3000L);
        }
      }
    }
  }

  @Test
  void everyKindOfChaosHappensInALongStorm() {
    StormPlan plan = StormPlan.draw(3, true, 200, Duration.ofSeconds(80));
    for (Action a :
        List.of(Action.KILL_HOST, Action.KILL_DONGLE, Action.KILL_BROKER, Action.PATH)) {
      assertThat(plan.countBefore(a, plan.chaosMillis())).as("%s", a).isPositive();
    }
  }

  private static boolean isChaos(Action a) {
    return a == Action.KILL_HOST
        || a == Action.KILL_DONGLE
        || a == Action.KILL_BROKER
        || a == Action.PATH;
  }

  private static List<Long> times(List<Step> steps, Action a) {
    return steps.stream().filter(s -> s.action() == a).map(Step::atMillis).toList();
  }
}
