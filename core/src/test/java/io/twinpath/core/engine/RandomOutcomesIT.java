package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.item.ItemId;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.testing.MosquittoExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three devices, many items, every attempt's outcome drawn at random (seeded): whatever happens,
 * every item ends, at most one attempt per item delivers, every ambiguous attempt is counted as a
 * possible duplicate, and no device keeps a copy.
 */
class RandomOutcomesIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;
  Cluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Answers at random and remembers every answer per item. */
  static final class RandomPath implements SendPath {
    final Random random;
    final Map<ItemId, List<AttemptResult.Outcome>> results;

    RandomPath(long seed, Map<ItemId, List<AttemptResult.Outcome>> results) {
      this.random = new Random(seed);
      this.results = results;
    }

    @Override
    public AttemptResult attempt(ItemMeta item, InputStream message, Set<String> skip) {
      try {
        message.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int x;
      synchronized (random) {
        x = random.nextInt(100);
      }
      AttemptResult r =
          x < 50
              ? AttemptResult.temporary("451 busy")
              : x < 65
                  ? AttemptResult.ambiguous("reset after the final dot")
                  : x < 95
                      ? AttemptResult.delivered("250 OK", Set.copyOf(item.envelope().recipients()))
                      : AttemptResult.permanent("554 no", Map.of("a@example.org", "554 no"));
      results.computeIfAbsent(item.id(), k -> new CopyOnWriteArrayList<>()).add(r.outcome());
      return r;
    }
  }

  @Test
  void randomOutcomesNeverLoseOrDoubleDeliverAnItem() throws Exception {
    long seed = Long.getLong("twinpath.seed", System.nanoTime());
    cluster =
        new Cluster(
            mqtt.url(),
            dir,
            CoordinatorSettings.builder()
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(100))
                .takeoverDelay(Duration.ofMinutes(5))
                .build(),
            "laptop",
            "dongle",
            "gateway");
    // every attempt's result, per item, in the order the attempts ended (on any device)
    Map<ItemId, List<AttemptResult.Outcome>> results = new ConcurrentHashMap<>();
    int i = 0;
    for (Cluster.Node n : cluster.nodes.values()) {
      n.randomPath = new RandomPath(seed + i++, results);
    }
    cluster.startAll();
    Cluster.Node laptop = cluster.node("laptop");
    List<ItemMeta> items = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      ItemMeta item =
          laptop.store.enqueue(laptop.id, Cluster.clock(), CoordinatorIT.MESSAGE, "a@example.org");
      laptop.c().submit(item);
      items.add(item);
    }
    String why = "seed " + seed + " (rerun with -Dtwinpath.seed=" + seed + ")";
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> items.stream().allMatch(it -> laptop.c().outcome(it.id()).isPresent()));
    for (ItemMeta it : items) {
      DeviceStatus.Outcome o = laptop.c().outcome(it.id()).orElseThrow();
      List<AttemptResult.Outcome> all = results.getOrDefault(it.id(), List.of());
      long delivered = all.stream().filter(x -> x == AttemptResult.Outcome.DELIVERED).count();
      long ambiguous = all.stream().filter(x -> x == AttemptResult.Outcome.AMBIGUOUS).count();
      long permanent = all.stream().filter(x -> x == AttemptResult.Outcome.PERMANENT).count();
      assertThat(delivered + permanent).as(why + " " + all).isEqualTo(1);
      assertThat(o.result()).as(why).isEqualTo(delivered == 1 ? "delivered" : "failed");
      assertThat(o.possibleDuplicates()).as(why + " " + all).isEqualTo((int) ambiguous);
      // the last attempt is the one that ended it
      assertThat(all.get(all.size() - 1))
          .as(why + " " + all)
          .isIn(AttemptResult.Outcome.DELIVERED, AttemptResult.Outcome.PERMANENT);
    }
    for (Cluster.Node n : cluster.nodes.values()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> n.store.filesHeld() == 0);
      await().atMost(Duration.ofSeconds(20)).until(() -> n.c().status().queue().isEmpty());
    }
  }
}
