package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.status.DeviceStatus;
import io.twinpath.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The coordination protocol between real coordinators over a real Mosquitto, scripted paths. */
class CoordinatorIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final Duration WAIT = Duration.ofSeconds(20);
  static final byte[] MESSAGE =
      ("Message-ID: <x@example.org>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n"
              + "Subject: hello\r\n\r\nbody\r\n")
          .getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  Cluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  Cluster cluster(String... devices) throws Exception {
    cluster =
        new Cluster(
            mqtt.url(),
            dir,
            CoordinatorSettings.builder()
                .takeoverDelay(Duration.ofMillis(500))
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(400))
                .syncTimeout(Duration.ofSeconds(2))
                .chunkSize(4096)
                .build(),
            devices);
    return cluster.startAll();
  }

  @Test
  void anEventTheEngineDoesNotRaiseItselfStillReachesItsListeners() throws Exception {
    cluster("laptop", "dongle");
    Cluster.Node dongle = cluster.node("dongle");
    // the secondary reports modem recoveries through the engine's listeners
    dongle.c().events().modemRecovery("/dev/ttyUSB2", "power cycle", 1, true, "OK");
    assertThat(dongle.events.lines).contains("modemRecovery /dev/ttyUSB2 power cycle 1 true");
  }

  @Test
  void theHostDeliversAndTheSecondaryDeletesItsCopy() throws Exception {
    cluster("laptop", "dongle");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    ItemMeta item = laptop.store.enqueue(laptop.id, Cluster.clock(), MESSAGE, "a@example.org");
    laptop.c().submit(item);

    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    DeviceStatus.Outcome o = laptop.c().outcome(item.id()).orElseThrow();
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(laptop.id);
    assertThat(o.reply()).isEqualTo("250 OK");
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    await().atMost(WAIT).until(() -> dongle.store.filesHeld() == 0);
    assertThat(laptop.store.filesHeld()).isZero();
    Cluster.holdsLater(
        () -> {
          assertThat(laptop.path.attempts).hasSize(1);
          assertThat(dongle.path.attempts).isEmpty();
        });
    assertThat(laptop.path.attempts.get(0).bytes()).isEqualTo(MESSAGE);
    assertThat(laptop.c().status().queueDepth()).isZero();
  }

  @Test
  void aTemporaryFailureOnTheHostPassesTheTurnAndTheSecondaryDeliversOnce() throws Exception {
    cluster("laptop", "dongle");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(AttemptResult.temporary("connect to smtp.example.org:587 refused"));
    dongle.path.then(AttemptResult.delivered("250 2.0.0 queued as ABC", Set.of("a@example.org")));
    ItemMeta item = laptop.store.enqueue(laptop.id, Cluster.clock(), MESSAGE, "a@example.org");
    laptop.c().submit(item);

    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    DeviceStatus.Outcome o = laptop.c().outcome(item.id()).orElseThrow();
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(dongle.id);
    assertThat(o.reply()).isEqualTo("250 2.0.0 queued as ABC");
    Cluster.holdsLater(
        () -> {
          assertThat(dongle.path.attempts).hasSize(1);
          assertThat(laptop.path.attempts).hasSize(1);
        });
    assertThat(dongle.path.attempts.get(0).bytes()).isEqualTo(MESSAGE);
    assertThat(laptop.events.has("turnPassed " + item.id() + " laptop dongle 1 connect to"))
        .isTrue();
    await()
        .atMost(WAIT)
        .until(() -> dongle.store.filesHeld() == 0 && laptop.store.filesHeld() == 0);
  }

  @Test
  void aPermanentFailureIsReportedAndNobodyElseTries() throws Exception {
    cluster("laptop", "dongle");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(
        new AttemptResult(
            AttemptResult.Outcome.PERMANENT,
            "550 5.1.1 c@example.org: no such user",
            Set.of("a@example.org", "b@example.org"),
            Map.of("c@example.org", "550 5.1.1 no such user")));
    ItemMeta item =
        laptop.store.enqueue(
            laptop.id, Cluster.clock(), MESSAGE, "a@example.org", "b@example.org", "c@example.org");
    laptop.c().submit(item);

    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    DeviceStatus.Outcome o = laptop.c().outcome(item.id()).orElseThrow();
    assertThat(o.result()).isEqualTo("failed");
    assertThat(o.refused()).containsOnlyKeys("c@example.org");
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    Cluster.holdsLater(
        () -> {
          assertThat(dongle.path.attempts).isEmpty();
          assertThat(laptop.path.attempts).hasSize(1);
        });
  }

  @Test
  void acceptedRecipientsAreNeverSentAgain() throws Exception {
    cluster("laptop", "dongle");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(
        new AttemptResult(
            AttemptResult.Outcome.TEMPORARY,
            "451 4.3.0 try b@example.org later",
            Set.of("a@example.org"),
            Map.of()));
    dongle.path.then(AttemptResult.delivered("250 OK", Set.of("b@example.org")));
    ItemMeta item =
        laptop.store.enqueue(laptop.id, Cluster.clock(), MESSAGE, "a@example.org", "b@example.org");
    laptop.c().submit(item);

    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().result()).isEqualTo("delivered");
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
    assertThat(dongle.path.attempts.get(0).skip()).containsExactly("a@example.org");
  }

  @Test
  void anAmbiguousOutcomeIsRetriedAndCountedAsAPossibleDuplicate() throws Exception {
    cluster("laptop", "dongle");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(AttemptResult.ambiguous("connection lost after the final dot"));
    ItemMeta item = laptop.store.enqueue(laptop.id, Cluster.clock(), MESSAGE, "a@example.org");
    laptop.c().submit(item);

    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    DeviceStatus.Outcome o = laptop.c().outcome(item.id()).orElseThrow();
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(dongle.id);
    assertThat(o.possibleDuplicates()).isEqualTo(1);
    assertThat(laptop.events.has("possibleDuplicate " + item.id() + " laptop 1")).isTrue();
    assertThat(laptop.c().status().possibleDuplicates()).isEqualTo(1);
  }

  @Test
  void bothPathsFailingAlternateWithBackoffUntilOneRecovers() throws Exception {
    cluster("laptop", "dongle");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop
        .path
        .then(AttemptResult.temporary("refused 1"))
        .then(AttemptResult.temporary("refused 2"))
        .then(AttemptResult.delivered("250 at last", Set.of("a@example.org")));
    dongle.path.then(AttemptResult.temporary("no carrier"));
    ItemMeta item = laptop.store.enqueue(laptop.id, Cluster.clock(), MESSAGE, "a@example.org");
    laptop.c().submit(item);

    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    DeviceStatus.Outcome o = laptop.c().outcome(item.id()).orElseThrow();
    assertThat(o.path()).isEqualTo(laptop.id);
    assertThat(o.reply()).isEqualTo("250 at last");
    Cluster.holdsLater(
        () -> {
          assertThat(laptop.path.attempts).hasSize(3);
          assertThat(dongle.path.attempts).hasSize(2);
        });
  }

  @Test
  void threeDevicesFollowTheConfiguredOrder() throws Exception {
    cluster("laptop", "dongle", "gateway");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    Cluster.Node gateway = cluster.node("gateway");
    laptop.path.then(AttemptResult.temporary("hotel wifi blocks 587"));
    dongle.path.then(AttemptResult.temporary("no registration"));
    gateway.path.then(AttemptResult.delivered("250 via home", Set.of("a@example.org")));
    ItemMeta item = laptop.store.enqueue(laptop.id, Cluster.clock(), MESSAGE, "a@example.org");
    laptop.c().submit(item);

    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    DeviceStatus.Outcome o = laptop.c().outcome(item.id()).orElseThrow();
    assertThat(o.path()).isEqualTo(gateway.id);
    Cluster.holdsLater(
        () -> {
          assertThat(laptop.path.attempts).hasSize(1);
          assertThat(dongle.path.attempts).hasSize(1);
          assertThat(gateway.path.attempts).hasSize(1);
        });
    assertThat(gateway.path.attempts.get(0).bytes()).isEqualTo(MESSAGE);
    for (Cluster.Node n : cluster.nodes.values()) {
      await().atMost(WAIT).until(() -> n.store.filesHeld() == 0);
    }
  }

  @Test
  void theSecondaryTakesOverWhenTheHostDiesAndTheHostLearnsOnReturn() throws Exception {
    cluster("laptop", "dongle");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    // the host's attempt hangs (black-holed path); then the host dies
    laptop.path.thenHang(AttemptResult.temporary("timed out"));
    ItemMeta item = laptop.store.enqueue(laptop.id, Cluster.clock(), MESSAGE, "a@example.org");
    laptop.c().submit(item);
    await()
        .atMost(WAIT)
        .until(
            () ->
                dongle.events.has("copyProgress")
                    || dongle.c().status().queue().stream().anyMatch(v -> v.copyComplete()));
    await()
        .atMost(WAIT)
        .until(() -> dongle.c().status().queue().stream().anyMatch(v -> v.copyComplete()));
    laptop.c().crash();
    laptop.coordinator = null;

    await().atMost(WAIT).until(() -> dongle.events.has("takeover " + item.id() + " laptop dongle"));
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
    assertThat(dongle.c().outcome(item.id()).orElseThrow().path()).isEqualTo(dongle.id);

    // the host returns on the same data directory: it learns the outcome, sends nothing
    laptop.path.release.countDown();
    int before = laptop.path.attempts.size();
    laptop.start();
    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    DeviceStatus.Outcome o = laptop.c().outcome(item.id()).orElseThrow();
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(dongle.id);
    Cluster.holdsLater(() -> assertThat(laptop.path.attempts).hasSize(before));
    await().atMost(WAIT).until(() -> laptop.store.filesHeld() == 0);
  }
}
