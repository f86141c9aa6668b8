package io.twinpath.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.testing.SystemComponents;
import io.twinpath.testing.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A short storm (see {@link Storm}): 40 messages of 11 KB through the real {@code sendmail} over 70
 * s of {@code kill -9} of the host daemon and of the dongle with its embedded broker, and flips of
 * the laptop's path between healthy, refused and black-holed, all drawn from one seed ({@code
 * -Dstorm.seed=N} picks another). Then the target: nothing lost, nothing stuck, nothing left in
 * either spool, every real duplicate flagged and at most two flags per real duplicate, drained
 * within 60 s of the chaos ending. On a miss the message holds the table row and the cause of each
 * problem message, and the processes' logs stay in {@code target/storm/} ({@code -Dstorm.keep=true}
 * keeps them after a pass too).
 */
class StormIT {
  static final long SEED = 14;
  static final int MESSAGES = 40;
  static final Duration CHAOS = Duration.ofSeconds(70);

  @Test
  void nothingLostStuckOrLeftAndEveryDuplicateCounted() throws Exception {
    SystemComponents.requireCommand("socat", "socat");
    long seed = Long.getLong("storm.seed", SEED);
    StormPlan plan = StormPlan.draw(seed, false, MESSAGES, CHAOS);
    Path dir =
        Path.of(System.getProperty("java.io.tmpdir")).resolve("storm").resolve("it-seed-" + seed);
    TempDirs.delete(dir);
    StormResult r = Storm.run("short storm", plan, dir);
    String report = StormResult.table(List.of(r)) + r.notes();
    System.out.println(report);
    assertThat(r.misses()).as("the storm's target; logs kept in %s\n%s", dir, report).isEmpty();
    if (!Boolean.getBoolean("storm.keep")) {
      TempDirs.delete(dir);
    }
  }
}
