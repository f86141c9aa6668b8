package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.testing.MosquittoExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The takeover delay, on a clock the test drives: not a moment early, cancelled on return. */
class TakeoverTimingIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final Duration DELAY = Duration.ofSeconds(30);

  @TempDir Path dir;
  Cluster cluster;
  final ManualScheduler dongleTime = new ManualScheduler();

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Cluster.Node[] start() throws Exception {
    cluster =
        new Cluster(
            mqtt.url(),
            dir,
            CoordinatorSettings.builder().takeoverDelay(DELAY).build(),
            "laptop",
            "dongle");
    cluster.node("dongle").scheduler = dongleTime;
    cluster.startAll();
    return new Cluster.Node[] {cluster.node("laptop"), cluster.node("dongle")};
  }

  private static void awaitSeen(Cluster.Node n, String peer, String state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> state.equals(n.c().status().peers().get(DeviceId.of(peer))));
  }

  @Test
  void theSecondaryWaitsTheWholeDelayBeforeTakingOver() throws Exception {
    Cluster.Node[] n = start();
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    laptop.path.thenHang(AttemptResult.temporary("timed out"));
    ItemMeta item =
        laptop.store.enqueue(laptop.id, Cluster.clock(), CoordinatorIT.MESSAGE, "a@example.org");
    laptop.c().submit(item);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> dongle.c().status().queue().stream().anyMatch(v -> v.copyComplete()));
    int before = dongleTime.pending();
    laptop.c().crash();
    laptop.coordinator = null;
    awaitSeen(dongle, "laptop", "offline");
    await().atMost(Duration.ofSeconds(5)).until(() -> dongleTime.pending() == before + 1);

    dongleTime.advance(DELAY.minusMillis(1));
    Cluster.holdsLater(
        () -> {
          assertThat(dongle.events.has("takeover")).isFalse();
          assertThat(dongle.path.attempts).isEmpty();
        });

    dongleTime.advance(Duration.ofMillis(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.events.has("takeover " + item.id()));
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.c().outcome(item.id()).isPresent());
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
  }

  @Test
  void aHostThatReturnsInTimeKeepsItsTurn() throws Exception {
    Cluster.Node[] n = start();
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    laptop.path.thenHang(AttemptResult.delivered("250 OK", java.util.Set.of("a@example.org")));
    ItemMeta item =
        laptop.store.enqueue(laptop.id, Cluster.clock(), CoordinatorIT.MESSAGE, "a@example.org");
    laptop.c().submit(item);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> dongle.c().status().queue().stream().anyMatch(v -> v.copyComplete()));
    laptop.c().crash();
    laptop.coordinator = null;
    awaitSeen(dongle, "laptop", "offline");

    laptop.path.release.countDown();
    laptop.start();
    awaitSeen(dongle, "laptop", "online");
    dongleTime.advance(DELAY.multipliedBy(2));
    await().atMost(Duration.ofSeconds(20)).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().path()).isEqualTo(laptop.id);
    Cluster.holdsLater(
        () -> {
          assertThat(dongle.events.has("takeover")).isFalse();
          assertThat(dongle.path.attempts).isEmpty();
        });
  }
}
