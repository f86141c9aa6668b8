package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.core.wire.ReplayGuard;
import io.twinpath.core.wire.SequenceCounter;
import io.twinpath.testing.MosquittoExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a person can do to a queued item (attempt now, cancel) and how finished items are kept. */
class OperationsIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  Cluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Both paths fail once: the turn goes laptop → dongle → laptop, which then waits a minute. */
  Cluster.Node[] laptopInBackoff() throws Exception {
    cluster =
        new Cluster(
                mqtt.url(),
                dir,
                CoordinatorSettings.builder()
                    .takeoverDelay(Duration.ofMinutes(5))
                    .initialBackoff(Duration.ofMinutes(1))
                    .maxBackoff(Duration.ofMinutes(2))
                    .chunkSize(4096)
                    .build(),
                "laptop",
                "dongle")
            .startAll();
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(AttemptResult.temporary("421 try later"));
    dongle.path.then(AttemptResult.temporary("no cellular data"));
    return new Cluster.Node[] {laptop, dongle};
  }

  ItemMeta queue(Cluster.Node laptop) throws Exception {
    ItemMeta item = laptop.submit();
    await()
        .atMost(WAIT)
        .until(
            () ->
                laptop.c().status().queue().stream()
                    .anyMatch(v -> v.item().equals(item.id()) && v.phase().equals("BACKOFF")));
    return item;
  }

  @Test
  void attemptNowEndsTheBackoffOnlyWhereTheTurnIs() throws Exception {
    Cluster.Node[] n = laptopInBackoff();
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    ItemMeta item = queue(laptop);
    laptop.path.then(AttemptResult.delivered("250 sent now", java.util.Set.of("a@example.org")));

    OperationResult elsewhere = dongle.c().attemptNow(item.id());
    assertThat(elsewhere.done()).isFalse();
    assertThat(elsewhere.message()).contains("laptop's hands (online)");

    OperationResult now = laptop.c().attemptNow(item.id());
    assertThat(now.done()).as(now.message()).isTrue();
    // well before the minute of backoff
    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().reply()).isEqualTo("250 sent now");
    Cluster.holdsLater(
        () -> {
          assertThat(laptop.path.attempts).hasSize(2);
          assertThat(dongle.path.attempts).hasSize(1);
        });
    assertThat(laptop.c().attemptNow(item.id()).message()).contains("finished: delivered");
  }

  @Test
  void cancelStopsTheItemEverywhereAndDeletesEveryCopy() throws Exception {
    Cluster.Node[] n = laptopInBackoff();
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    ItemMeta item = queue(laptop);
    await().atMost(WAIT).until(() -> dongle.store.get(item.id()).isPresent());

    OperationResult notHere = dongle.c().cancel(item.id());
    assertThat(notHere.done()).isFalse();
    assertThat(notHere.message()).contains("queued on laptop");

    OperationResult r = laptop.c().cancel(item.id());
    assertThat(r.done()).as(r.message()).isTrue();
    assertThat(laptop.c().outcome(item.id()).orElseThrow().result()).isEqualTo("cancelled");
    assertThat(laptop.events.has("cancelled " + item.id() + " laptop")).isTrue();
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    assertThat(dongle.c().outcome(item.id()).orElseThrow().result()).isEqualTo("cancelled");
    await()
        .atMost(WAIT)
        .until(() -> dongle.store.filesHeld() == 0 && laptop.store.filesHeld() == 0);
    assertThat(laptop.c().status().queue()).isEmpty();
    assertThat(dongle.c().status().queue()).isEmpty();
    assertThat(laptop.c().cancel(item.id()).done()).isFalse();
    // nothing was attempted after the cancel
    Cluster.holdsLater(
        () -> {
          assertThat(laptop.path.attempts).hasSize(1);
          assertThat(dongle.path.attempts).hasSize(1);
        });
  }

  @Test
  void aBadOrUnauthorisedOutcomeIsRefusedAndTheItemStaysQueued() throws Exception {
    Cluster.Node[] n = laptopInBackoff();
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    ItemMeta item = queue(laptop);
    await().atMost(WAIT).until(() -> dongle.store.get(item.id()).isPresent());

    // correctly signed by the paired dongle, new sequence numbers, but not acceptable
    CommandCodec asDongle = forger(dongle, Clock.systemUTC());
    JsonObject cancelled = outcome(item, "cancelled", "dongle");
    JsonObject badTime = outcome(item, "delivered", "dongle");
    badTime.addProperty("at", "yesterday");
    JsonObject badList = outcome(item, "failed", "dongle");
    com.google.gson.JsonArray accepted = new com.google.gson.JsonArray();
    accepted.add(new JsonObject());
    badList.add("accepted", accepted);
    JsonObject badPath = outcome(item, "delivered", "Not A Device");
    publish(
        "twinpath/laptop/inbox",
        asDongle.seal("outcome", laptop.id, cancelled),
        asDongle.seal("outcome", laptop.id, badTime),
        asDongle.seal("outcome", laptop.id, badList),
        asDongle.seal("outcome", laptop.id, badPath));

    await()
        .atMost(WAIT)
        .until(() -> laptop.events.count("commandRejected dongle the outcome command") >= 4);
    assertThat(laptop.events.lines)
        .filteredOn(l -> l.startsWith("commandRejected dongle"))
        .anyMatch(l -> l.contains("only laptop, where item " + item.id() + " was queued"))
        .anyMatch(l -> l.contains("'at' is not an ISO-8601 instant: \"yesterday\""))
        .anyMatch(l -> l.contains("'accepted' holds {}, which is not an address"))
        .anyMatch(l -> l.contains("'path' is refused") && l.contains("Not A Device"));
    // nothing changed: still queued on the laptop, copy kept, and it can still be delivered
    assertThat(laptop.c().outcome(item.id())).isEmpty();
    assertThat(laptop.store.get(item.id())).isPresent();
    laptop.path.then(AttemptResult.delivered("250 sent", java.util.Set.of("a@example.org")));
    assertThat(laptop.c().attemptNow(item.id()).done()).isTrue();
    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().result()).isEqualTo("delivered");
  }

  @Test
  void aGrantWaitsForTheGrantersAnswerSoATakeoverQueuedBehindItWins() throws Exception {
    Cluster.Node[] n = slowPair("g");
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    cluster.startAll();
    // the laptop holds the turn (epoch 0) and its attempt hangs; the dongle holds a complete copy
    laptop.path.thenHang(AttemptResult.delivered("250 by the laptop", java.util.Set.of()));
    ItemMeta item = laptop.submit();
    await().atMost(WAIT).until(() -> dongle.store.get(item.id()).isPresent());
    await().atMost(WAIT).until(() -> laptop.path.attempts.size() == 1);
    CommandCodec asLaptop = forger(laptop, Clock.systemUTC());
    laptop.c().close();

    // what the laptop sent before it left reaches the dongle late, in order: first the grant
    publish("twinpath/dongle-g/inbox", asLaptop.seal("turn", dongle.id, turn(item, 1, dongle.id)));
    await().atMost(WAIT).until(() -> phaseOf(dongle, item).startsWith("SYNCING"));
    // answers to a sync the dongle did not send (an earlier run's) confirm nothing
    JsonObject stale = new JsonObject();
    com.google.gson.JsonArray items = new com.google.gson.JsonArray();
    items.add(item.id().toString());
    stale.add("items", items);
    JsonObject wrongAsk = stale.deepCopy();
    wrongAsk.addProperty("ask", 1);
    publish(
        "twinpath/dongle-g/inbox",
        asLaptop.seal("synced", dongle.id, stale),
        asLaptop.seal("synced", dongle.id, wrongAsk));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> phaseOf(dongle, item).startsWith("SYNCING"));
    assertThat(dongle.path.attempts).as("no attempt before the granter answered").isEmpty();

    // then the laptop's takeover and its delivery, queued behind the grant: they win
    JsonObject takeover = turn(item, 2, laptop.id);
    takeover.addProperty("takeover", true);
    publish(
        "twinpath/dongle-g/inbox",
        asLaptop.seal("turn", dongle.id, takeover),
        asLaptop.seal("outcome", dongle.id, outcome(item, "delivered", "laptop-g")));
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    assertThat(dongle.c().outcome(item.id()).orElseThrow().path()).isEqualTo(laptop.id);
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).isEmpty());
  }

  /** A {@code turn} of {@code item} under {@code epoch}, naming {@code holder}. */
  static JsonObject turn(ItemMeta item, long epoch, io.twinpath.core.DeviceId holder) {
    JsonObject t = new JsonObject();
    t.addProperty("item", item.id().toString());
    t.add("meta", item.toJson());
    t.addProperty("epoch", epoch);
    t.addProperty("holder", holder.value());
    t.addProperty("reason", "421 try later");
    t.addProperty("round", 0);
    t.addProperty("delayMs", 0);
    t.addProperty("attempts", 1);
    t.addProperty("duplicates", 0);
    t.add("accepted", new com.google.gson.JsonArray());
    t.add("refused", new JsonObject());
    return t;
  }

  static JsonObject outcome(ItemMeta item, String result, String path) {
    JsonObject o = new JsonObject();
    o.addProperty("item", item.id().toString());
    o.addProperty("result", result);
    o.addProperty("path", path);
    o.addProperty("at", Instant.now().toString());
    o.add("accepted", new com.google.gson.JsonArray());
    o.add("refused", new JsonObject());
    o.addProperty("duplicates", 0);
    o.addProperty("epoch", 0);
    return o;
  }

  /**
   * Laptop and dongle named with {@code suffix}, the laptop on {@code clock}, a one-minute takeover
   * delay and long backoffs; both paths fail their first attempt.
   */
  /** A laptop and a dongle with long backoffs, a 1 min takeover delay and a short sync wait. */
  Cluster.Node[] slowPair(String suffix) throws Exception {
    cluster =
        new Cluster(
            mqtt.url(),
            dir,
            CoordinatorSettings.builder()
                .takeoverDelay(Duration.ofMinutes(1))
                .initialBackoff(Duration.ofMinutes(10))
                .maxBackoff(Duration.ofMinutes(20))
                .syncTimeout(Duration.ofMillis(500))
                .chunkSize(4096)
                .build(),
            "laptop-" + suffix,
            "dongle-" + suffix);
    return new Cluster.Node[] {cluster.node("laptop-" + suffix), cluster.node("dongle-" + suffix)};
  }

  Cluster.Node[] bothFailOnce(String suffix, MovableClock clock) throws Exception {
    Cluster.Node[] n = slowPair(suffix);
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    laptop.clock = clock;
    cluster.startAll();
    laptop.path.then(AttemptResult.temporary("421 try later"));
    dongle.path.then(AttemptResult.temporary("no cellular data"));
    return new Cluster.Node[] {laptop, dongle};
  }

  /** Signs with {@code as}'s own key, with sequence numbers far ahead of the real device's. */
  CommandCodec forger(Cluster.Node as, Clock clock) throws Exception {
    Files.writeString(dir.resolve("forger-seq"), "900000000");
    return new CommandCodec(
        DeviceKeys.loadOrCreate(as.dataDir(), as.id),
        SequenceCounter.open(dir.resolve("forger-seq")),
        PairingStore.open(dir.resolve("forger-peers.json")),
        ReplayGuard.open(dir.resolve("forger-replay.json")),
        clock);
  }

  /** Publishes sealed commands to {@code topic} as an outside MQTT client. */
  void publish(String topic, byte[]... payloads) throws Exception {
    MqttClient sender = new MqttClient(mqtt.url(), "forger", new MemoryPersistence());
    try {
      sender.connect(new MqttConnectOptions());
      for (byte[] p : payloads) {
        sender.publish(topic, p, 1, false);
      }
    } finally {
      sender.disconnect();
      sender.close();
    }
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }
  }

  @Test
  void finishedRecordsAreKeptForTheRetentionThenForgottenAndStaleCommandsRefused()
      throws Exception {
    MovableClock clock = new MovableClock();
    ManualScheduler laptopTimers = new ManualScheduler();
    ManualScheduler dongleTimers = new ManualScheduler();
    cluster =
        new Cluster(
            mqtt.url(),
            dir,
            CoordinatorSettings.builder()
                .takeoverDelay(Duration.ofMinutes(5))
                .recordRetention(Duration.ofHours(1))
                .chunkSize(4096)
                .build(),
            // devices of their own: the moved clocks number their connections ahead of real time
            "laptop-p",
            "dongle-p");
    Cluster.Node laptop = cluster.node("laptop-p");
    Cluster.Node dongle = cluster.node("dongle-p");
    laptop.clock = clock;
    dongle.clock = clock;
    laptop.scheduler = laptopTimers;
    dongle.scheduler = dongleTimers;
    cluster.startAll();

    ItemMeta item = laptop.store.enqueue(laptop.id, clock, CoordinatorIT.MESSAGE, "a@example.org");
    laptop.c().submit(item);
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    Path laptopRecord = laptop.dataDir().resolve("engine").resolve(item.id() + ".json");
    Path dongleRecord = dongle.dataDir().resolve("engine").resolve(item.id() + ".json");
    assertThat(laptopRecord).exists();
    assertThat(Files.readString(laptopRecord)).contains("\"doneAt\"");

    // the item expires an hour after it was queued: its record stays until an hour after that
    clock.advance(Duration.ofMinutes(110));
    laptopTimers.advance(Duration.ofMinutes(110));
    dongleTimers.advance(Duration.ofMinutes(110));
    // a prune has run (every quarter of the retention) and scheduled the next one
    await().atMost(WAIT).until(() -> laptopTimers.pending() == 1 && dongleTimers.pending() == 1);
    assertThat(laptop.c().outcome(item.id())).isPresent();
    assertThat(dongleRecord).exists();

    clock.advance(Duration.ofMinutes(20));
    laptopTimers.advance(Duration.ofMinutes(20));
    dongleTimers.advance(Duration.ofMinutes(20));
    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isEmpty());
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isEmpty());
    assertThat(laptopRecord).doesNotExist();
    assertThat(dongleRecord).doesNotExist();

    // a correctly signed, new (not replayed) offer and turn for the forgotten item are refused
    CommandCodec asLaptop = forger(laptop, clock);
    JsonObject offer = new JsonObject();
    offer.add("meta", item.toJson());
    offer.addProperty("chunkSize", 4096);
    JsonObject turn = new JsonObject();
    turn.addProperty("item", item.id().toString());
    turn.add("meta", item.toJson());
    turn.addProperty("epoch", 7);
    turn.addProperty("holder", "dongle-p");
    turn.addProperty("reason", "stale");
    turn.addProperty("round", 0);
    turn.addProperty("delayMs", 0);
    turn.addProperty("attempts", 1);
    turn.add("accepted", new com.google.gson.JsonArray());
    turn.add("refused", new JsonObject());
    turn.addProperty("duplicates", 0);
    turn.addProperty("takeover", false);
    publish(
        "twinpath/dongle-p/inbox",
        asLaptop.seal("copy.offer", dongle.id, offer),
        asLaptop.seal("turn", dongle.id, turn));
    await()
        .atMost(WAIT)
        .until(() -> dongle.events.count("commandRejected laptop-p item " + item.id()) >= 2);
    assertThat(dongle.events.lines)
        .filteredOn(l -> l.startsWith("commandRejected"))
        .anyMatch(l -> l.contains("expired at") && l.contains("not known here"));
    assertThat(dongleRecord).doesNotExist();
    assertThat(dongle.c().status().queue()).isEmpty();
    assertThat(dongle.store.filesHeld()).isZero();
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).isEmpty());
  }

  String phaseOf(Cluster.Node n, ItemMeta item) {
    return n.c().status().queue().stream()
        .filter(v -> v.item().equals(item.id()))
        .map(v -> v.phase() + " " + v.lastFailure())
        .findFirst()
        .orElse("none");
  }

  @Test
  void aDeviceBackAfterTheTakeoverDelayWaitsForAPeerThatCouldHaveSentTheItem() throws Exception {
    MovableClock clock = new MovableClock();
    Cluster.Node[] n = bothFailOnce("w", clock);
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    ItemMeta item = queue(laptop);
    Path record = laptop.dataDir().resolve("engine").resolve(item.id() + ".json");
    // the dongle acknowledged a complete copy: it could send the item on its own
    await()
        .atMost(WAIT)
        .until(() -> Files.readString(record).contains("\"copiedTo\":[\"dongle-w\"]"));

    // the dongle goes away; the laptop restarts a moment later: nobody can have taken over
    dongle.c().close();
    laptop.c().crash();
    laptop.path.then(AttemptResult.temporary("421 still later"));
    laptop.start();
    await().atMost(WAIT).until(() -> laptop.path.attempts.size() == 2);

    // the laptop is away for two minutes, longer than the takeover delay: the dongle could have
    // taken the item over and sent it, so the laptop waits for it after its sync
    laptop.c().crash();
    clock.advance(Duration.ofMinutes(2));
    laptop.start();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(() -> phaseOf(laptop, item).startsWith("SYNCING waiting for [dongle-w]"));
    assertThat(laptop.path.attempts).hasSize(2);

    // the person decides: send it anyway
    laptop.path.then(AttemptResult.delivered("250 at last", java.util.Set.of("a@example.org")));
    OperationResult r = laptop.c().attemptNow(item.id());
    assertThat(r.done()).as(r.message()).isTrue();
    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().reply()).isEqualTo("250 at last");
    Cluster.holdsLater(
        () -> {
          assertThat(laptop.path.attempts).hasSize(3);
          assertThat(dongle.path.attempts).hasSize(1);
        });
  }

  @Test
  void aHolderBackAfterTheTakeoverDelayWaitsForTheOriginThatCouldHaveSentTheItem()
      throws Exception {
    MovableClock clock = new MovableClock();
    Cluster.Node[] n = slowPair("u");
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    dongle.clock = clock;
    cluster.startAll();
    // the laptop fails and passes the turn; the dongle's attempt never ends
    laptop.path.then(AttemptResult.temporary("421 try later"));
    dongle.path.thenHang(AttemptResult.delivered("250 never seen", java.util.Set.of()));
    ItemMeta item = laptop.submit();
    await().atMost(WAIT).until(() -> dongle.path.attempts.size() == 1);

    // both go away; the dongle comes back after longer than the takeover delay: the laptop, the
    // item's origin, holds it and could have taken it over and sent it meanwhile
    dongle.c().crash();
    laptop.c().close();
    clock.advance(Duration.ofMinutes(2));
    dongle.path.then(AttemptResult.delivered("250 by the dongle", java.util.Set.of()));
    dongle.start();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> phaseOf(dongle, item).startsWith("SYNCING waiting for [laptop-u]"));
    assertThat(dongle.path.attempts).hasSize(1);

    // the laptop returns and says it only waits for the dongle: the dongle sends it, once
    laptop.start();
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    assertThat(dongle.c().outcome(item.id()).orElseThrow().path()).isEqualTo(dongle.id);
    Cluster.holdsLater(
        () -> {
          assertThat(laptop.path.attempts).hasSize(1);
          assertThat(dongle.path.attempts).hasSize(2);
        });
  }

  @Test
  void aWaitingItemGoesOnWhenThePeerComesBackAndSaysItDidNothing() throws Exception {
    MovableClock clock = new MovableClock();
    Cluster.Node[] n = bothFailOnce("v", clock);
    Cluster.Node laptop = n[0];
    Cluster.Node dongle = n[1];
    ItemMeta item = queue(laptop);
    Path record = laptop.dataDir().resolve("engine").resolve(item.id() + ".json");
    await().atMost(WAIT).until(() -> Files.readString(record).contains("copiedTo"));

    dongle.c().close();
    laptop.c().crash();
    clock.advance(Duration.ofMinutes(2));
    laptop.path.then(AttemptResult.delivered("250 after the answer", java.util.Set.of()));
    laptop.start();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> phaseOf(laptop, item).startsWith("SYNCING waiting for [dongle-v]"));

    // the dongle returns: it answers the repeated sync (it still waits for the laptop's turn)
    dongle.start();
    await().atMost(WAIT).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().path()).isEqualTo(laptop.id);
    Cluster.holdsLater(
        () -> {
          assertThat(laptop.path.attempts).hasSize(2);
          assertThat(dongle.path.attempts).hasSize(1);
        });
  }
}
