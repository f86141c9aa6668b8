package io.twinpath.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.testing.SystemComponents;
import io.twinpath.testing.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long storm (see {@link Storm}), as operators tried it: 200 messages of 11 KB planned at 2.5 a
 * second through the real {@code sendmail} (at most {@link Storm#SENDMAILS} at a time), on four
 * seeds: runs 1 and 2 with the dongle's embedded broker, runs 3 and 4 with an external Mosquitto
 * that is killed and started again too. Prints the storm table, one column per run, and under it
 * each run's chaos, unplanned deaths and the cause of each problem message. {@code
 * -Dstorm.runs=1:embedded,3:mosquitto} and {@code -Dstorm.messages=N} choose other runs. A run that
 * misses the target keeps its logs in {@code target/storm/}.
 */
@Tag("benchmark")
class StormBenchmark {
  static final String RUNS = "1:embedded,2:embedded,3:mosquitto,4:mosquitto";
  static final double PER_SECOND = 2.5;

  @Test
  void stormTable() throws Exception {
    int messages = Integer.getInteger("storm.messages", 200);
    Duration chaos = Duration.ofMillis(Math.round(messages * 1000 / PER_SECOND));
    String runs = System.getProperty("storm.runs", RUNS);
    SystemComponents.requireCommand("socat", "socat");
    if (runs.toLowerCase(java.util.Locale.ROOT).contains("mosquitto")) {
      SystemComponents.requireCommand("mosquitto", "mosquitto");
    }
    List<StormResult> results = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    int n = 0;
    for (String run : runs.split(",")) {
      n++;
      String[] parts = run.strip().split(":");
      long seed = Long.parseLong(parts[0]);
      boolean mosquitto = parts.length > 1 && parts[1].equalsIgnoreCase("mosquitto");
      StormPlan plan = StormPlan.draw(seed, mosquitto, messages, chaos);
      Path dir =
          Path.of(System.getProperty("java.io.tmpdir"))
              .resolve("storm")
              .resolve("bench-" + seed + (mosquitto ? "-mosquitto" : "-embedded"));
      TempDirs.delete(dir);
      try {
        StormResult r = Storm.run("run " + n, plan, dir);
        results.add(r);
        System.out.println(StormResult.table(List.of(r)) + r.notes());
        if (r.meetsTarget() && !Boolean.getBoolean("storm.keep")) {
          TempDirs.delete(dir);
        }
      } catch (Exception | AssertionError e) {
        failed.add("run " + n + " (" + run + ") did not complete: " + e);
      }
    }
    System.out.println();
    System.out.println(
        "storm: "
            + messages
            + " messages of "
            + Storm.MESSAGE_BYTES / 1024
            + " KB at "
            + PER_SECOND
            + "/s; every 1-6 s a kill -9 (restart 0.5-3 s later) or a path flip; target: 0 lost,"
            + " 0 stuck, 0 leftover, every duplicate flagged, <= 2 flags each, drained <= 60 s");
    System.out.print(StormResult.table(results));
    for (StormResult r : results) {
      System.out.print(r.notes());
    }
    failed.forEach(System.out::println);
    assertThat(failed).as("storm runs that did not complete").isEmpty();
  }
}
