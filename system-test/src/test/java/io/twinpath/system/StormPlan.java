package io.twinpath.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * What one storm does and when, drawn from one seed: the same seed and shape give the same plan,
 * step for step. Messages are submitted at even intervals over the chaos window; every 1–6 s one of
 * these happens to a part that is up: {@code kill -9} of the host daemon, of the dongle, of the
 * external broker (when there is one), each started again 0.5–3 s later, or the laptop's path
 * flipped to one of the two states it is not in (healthy, refused, black-holed). At the end the
 * path is healthy and every part runs.
 *
 * <p>The chaos is drawn on past its window, up to {@link #HORIZON} times as long: when the machine
 * cannot start the {@code sendmail} processes as fast as planned, the storm goes on with the same
 * steps until the last one has finished, and ends at the first chaos step after that (or at the
 * {@link Action#END} step at the horizon). Which steps ran is then a prefix of the plan.
 *
 * @param seed the seed everything random is drawn from
 * @param externalBroker whether an external broker (Mosquitto) is part of the storm
 * @param chaosMillis the chaos window: the submissions are spread over it, and the chaos lasts at
 *     least that long
 * @param submissions the offset of each message's submission, in milliseconds from the start
 * @param steps what happens and when, in time order, ending with {@link Action#END}
 */
record StormPlan(
    long seed, boolean externalBroker, long chaosMillis, List<Long> submissions, List<Step> steps) {

  /** What a step does. */
  enum Action {
    KILL_HOST,
    START_HOST,
    KILL_DONGLE,
    START_DONGLE,
    KILL_BROKER,
    START_BROKER,
    PATH,
    /** Chaos is over: the path is made healthy and whatever is down is started. */
    END
  }

  /** The laptop's own path to the mail server. */
  enum PathState {
    HEALTHY,
    REFUSED,
    BLACK_HOLE
  }

  /** One step: at {@code atMillis} from the start; {@code path} is the new state of a flip. */
  record Step(long atMillis, Action action, PathState path) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%7.1f s %s",
          atMillis / 1000.0,
          action == Action.PATH ? "path " + path : action.toString());
    }
  }

  static final long MIN_GAP_MILLIS = 1000;
  static final long MAX_GAP_MILLIS = 6000;
  static final long MIN_DOWN_MILLIS = 500;
  static final long MAX_DOWN_MILLIS = 3000;

  /** How much longer than its window the chaos is drawn, for submissions that lag behind. */
  static final int HORIZON = 5;

  /** Draws the plan for {@code messages} submissions spread evenly over {@code chaos}. */
  static StormPlan draw(long seed, boolean externalBroker, int messages, Duration chaos) {
    long window = chaos.toMillis();
    List<Long> submissions = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      submissions.add(i * window / messages);
    }
    Random random = new Random(seed);
    List<Step> steps = new ArrayList<>();
    long hostUpAt = 0;
    long dongleUpAt = 0;
    long brokerUpAt = 0;
    PathState path = PathState.HEALTHY;
    long horizon = window * HORIZON;
    long end = horizon;
    long t = 0;
    while (true) {
      t += between(random, MIN_GAP_MILLIS, MAX_GAP_MILLIS);
      if (t >= horizon) {
        break;
      }
      // the candidates in a fixed order: the parts that are up, then the path (always possible)
      List<Action> choices = new ArrayList<>();
      if (hostUpAt < t) {
        choices.add(Action.KILL_HOST);
      }
      if (dongleUpAt < t) {
        choices.add(Action.KILL_DONGLE);
      }
      if (externalBroker && brokerUpAt < t) {
        choices.add(Action.KILL_BROKER);
      }
      choices.add(Action.PATH);
      Action chosen = choices.get(random.nextInt(choices.size()));
      if (chosen == Action.PATH) {
        List<PathState> others = new ArrayList<>(List.of(PathState.values()));
        others.remove(path);
        path = others.get(random.nextInt(others.size()));
        steps.add(new Step(t, Action.PATH, path));
        continue;
      }
      long upAt = t + between(random, MIN_DOWN_MILLIS, MAX_DOWN_MILLIS);
      end = Math.max(end, upAt);
      steps.add(new Step(t, chosen, path));
      switch (chosen) {
        case KILL_HOST -> {
          hostUpAt = upAt;
          steps.add(new Step(upAt, Action.START_HOST, path));
        }
        case KILL_DONGLE -> {
          dongleUpAt = upAt;
          steps.add(new Step(upAt, Action.START_DONGLE, path));
        }
        case KILL_BROKER -> {
          brokerUpAt = upAt;
          steps.add(new Step(upAt, Action.START_BROKER, path));
        }
        default -> throw new IllegalStateException(chosen.toString());
      }
    }
    steps.add(new Step(end, Action.END, PathState.HEALTHY));
    // stable: a start and a later kill at the same millisecond keep the order they were drawn in
    steps.sort(Comparator.comparingLong(Step::atMillis));
    return new StormPlan(
        seed, externalBroker, window, List.copyOf(submissions), List.copyOf(steps));
  }

  private static long between(Random random, long min, long max) {
    return min + (long) random.nextInt((int) (max - min) + 1);
  }

  /** How many steps of a kind the plan holds. */
  long count(Action action) {
    return steps.stream().filter(s -> s.action() == action).count();
  }

  /** How many steps of a kind the plan holds before {@code millis}. */
  long countBefore(Action action, long millis) {
    return steps.stream().filter(s -> s.action() == action && s.atMillis() < millis).count();
  }

  /** When the chaos ends at the latest (the {@link Action#END} step). */
  long endMillis() {
    return steps.get(steps.size() - 1).atMillis();
  }

  /** One line: the chaos the plan holds. */
  String summary() {
    return String.format(
        java.util.Locale.ROOT,
        "seed %d: %d messages over %.0f s; within that window %d host kills, %d dongle kills%s,"
            + " %d path flips",
        seed,
        submissions.size(),
        chaosMillis / 1000.0,
        countBefore(Action.KILL_HOST, chaosMillis),
        countBefore(Action.KILL_DONGLE, chaosMillis),
        externalBroker ? ", " + countBefore(Action.KILL_BROKER, chaosMillis) + " broker kills" : "",
        countBefore(Action.PATH, chaosMillis));
  }
}
