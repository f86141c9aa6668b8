package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.Json;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import io.twinpath.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Turns heal themselves: a device that loses its broker passes nothing to peers it cannot reach, a
 * turn lost with a broker that died is announced again when the peer connects, a stale turn is
 * answered with the newer one, and both devices use the shorter of their takeover delays.
 */
class SelfHealingTurnsIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  /** The reason of a turn announced again. */
  static final String ANNOUNCED = "sync: announced again";

  @TempDir Path dir;
  Cluster cluster;
  FaultProxy laptopLine;
  FaultProxy dongleLine;
  MqttClient spy;

  @AfterEach
  void stop() throws Exception {
    if (spy != null) {
      spy.disconnectForcibly(100, 100);
      spy.close(true);
    }
    if (cluster != null) {
      cluster.close();
    }
    for (FaultProxy p : new FaultProxy[] {laptopLine, dongleLine}) {
      if (p != null) {
        p.close();
      }
    }
  }

  private static CoordinatorSettings.Builder quick() {
    return CoordinatorSettings.builder()
        .takeoverDelay(Duration.ofMinutes(5))
        .initialBackoff(Duration.ofMillis(200))
        .maxBackoff(Duration.ofSeconds(1))
        .syncTimeout(Duration.ofSeconds(1))
        // announcements on reconnect only: the periodic one must not be what repairs
        .reannounceInterval(Duration.ofHours(1));
  }

  /** Both devices reach the broker through their own proxy, so each can be cut off alone. */
  private void startBehindProxies(CoordinatorSettings settings) throws Exception {
    laptopLine = FaultProxy.to("127.0.0.1", mqtt.broker().port());
    dongleLine = FaultProxy.to("127.0.0.1", mqtt.broker().port());
    cluster = new Cluster(mqtt.url(), dir, settings, "laptop", "dongle");
    cluster.node("laptop").brokerUrl = "tcp://127.0.0.1:" + laptopLine.port();
    cluster.node("dongle").brokerUrl = "tcp://127.0.0.1:" + dongleLine.port();
    cluster.startAll();
  }

  /** The broker dies with everything it knew (as one hosted by a killed dongle does). */
  private static void killBrokerAndForgetEverything() throws Exception {
    mqtt.broker().kill();
    Files.deleteIfExists(mqtt.broker().directory().resolve("mosquitto.db"));
  }

  /** A client that watches the dongle's inbox on the broker (clean session). */
  private List<JsonObject> watchDongleInbox() throws Exception {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    spy = new MqttClient(mqtt.url(), "spy", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    spy.connect(o);
    spy.subscribe("twinpath/dongle/inbox", 1, (t, m) -> seen.add(bodyOf(m.getPayload())));
    return seen;
  }

  private static JsonObject bodyOf(byte[] payload) {
    try {
      JsonObject outer = Json.object(new String(payload, StandardCharsets.UTF_8));
      byte[] body = Base64.getDecoder().decode(Json.string(outer, "body"));
      return Json.object(new String(body, StandardCharsets.UTF_8));
    } catch (Exception e) {
      return new JsonObject(); // a binary frame (a chunk): not a turn
    }
  }

  private static boolean isTurn(JsonObject body, long epoch, String reasonStart) {
    return "turn".equals(Json.string(body, "type"))
        && body.has("epoch")
        && body.get("epoch").getAsLong() == epoch
        && String.valueOf(Json.string(body, "reason")).startsWith(reasonStart);
  }

  private static void awaitCopy(Cluster.Node n) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> n.c().status().queue().stream().anyMatch(v -> v.copyComplete()));
  }

  @Test
  void aTurnLostWithTheBrokerIsAnnouncedAgainWhenThePeerReturnsAndDeliveredOnce() throws Exception {
    startBehindProxies(quick().build());
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.thenHang(AttemptResult.temporary("timed out"));
    dongle.path.then(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    ItemMeta item = laptop.submit();
    awaitCopy(dongle);

    // the laptop's line goes silent; its attempt fails and it passes the turn into the void
    laptopLine.stallAll();
    laptop.path.release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> laptop.events.has("turnPassed " + item.id() + " laptop dongle 1"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> laptop.c().link().orElseThrow().queued() == 0);

    // the broker dies with everything; a fresh one starts; the dongle stays away for a while
    laptopLine.set(Fault.refuse());
    dongleLine.set(Fault.refuse());
    killBrokerAndForgetEverything();
    laptopLine.resetAll();
    dongleLine.resetAll();
    mqtt.broker().restart();
    List<JsonObject> dongleInbox = watchDongleInbox();
    laptopLine.set(Fault.none());

    // the laptop's client sends the held turn again, to a broker where the dongle has no session
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> dongleInbox.stream().anyMatch(b -> isTurn(b, 1, "")));
    int heardBefore = dongleInbox.size();

    // the dongle comes back: the laptop sees its new connection and announces the turn again
    dongleLine.set(Fault.none());
    await().atMost(Duration.ofSeconds(30)).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().path()).isEqualTo(dongle.id);
    assertThat(dongleInbox.subList(heardBefore, dongleInbox.size()))
        .anyMatch(b -> isTurn(b, 1, "sync"));
    Cluster.holdsLater(
        () -> {
          assertThat(dongle.path.attempts).hasSize(1);
          assertThat(laptop.path.attempts).hasSize(1);
          assertThat(laptop.c().outcome(item.id()).orElseThrow().possibleDuplicates()).isZero();
        });
  }

  @Test
  void aDeviceThatLostItsBrokerPassesNoTurnUntilThePeerHasSubscribedAgain() throws Exception {
    startBehindProxies(quick().build());
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.thenHang(AttemptResult.temporary("timed out"));
    laptop.path.then(AttemptResult.temporary("refused"));
    laptop.path.then(AttemptResult.temporary("refused"));
    dongle.path.then(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    ItemMeta item = laptop.submit();
    awaitCopy(dongle);

    // the broker dies with everything (no will of the dongle is ever published) and comes back
    // fresh; the dongle cannot reach it yet
    dongleLine.set(Fault.refuse());
    killBrokerAndForgetEverything();
    dongleLine.resetAll();
    mqtt.broker().restart();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "offline".equals(laptop.c().status().peers().get(dongle.id)));
    await().atMost(Duration.ofSeconds(20)).until(() -> laptop.c().status().connected());

    // the laptop's attempt fails: nobody is reachable, so it keeps the turn and tries again
    laptop.path.release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> laptop.path.attempts.size() >= 3);
    assertThat(laptop.events.has("turnPassed")).isFalse();

    // the dongle subscribes again and says so: now the turn goes to it, and it delivers once
    dongleLine.set(Fault.none());
    await().atMost(Duration.ofSeconds(30)).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().path()).isEqualTo(dongle.id);
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
  }

  @Test
  void aHolderThatDiedWithTheBrokerIsTakenOverOnceThisDeviceIsBackWithoutHearingOfIt()
      throws Exception {
    startBehindProxies(quick().takeoverDelay(Duration.ofSeconds(1)).build());
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(AttemptResult.temporary("refused"));
    laptop.path.then(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    dongle.path.thenHang(AttemptResult.temporary("timed out"));
    ItemMeta item = laptop.submit();
    await().atMost(Duration.ofSeconds(20)).until(() -> dongle.path.attempts.size() == 1);

    // the dongle holds the turn and is gone with its broker: no will is ever published
    dongleLine.set(Fault.refuse());
    killBrokerAndForgetEverything();
    dongleLine.resetAll();
    laptopLine.resetAll();
    mqtt.broker().restart();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> laptop.events.has("takeover " + item.id() + " dongle laptop"));
    await().atMost(Duration.ofSeconds(20)).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().path()).isEqualTo(laptop.id);
    assertThat(laptop.path.attempts).hasSize(2);
  }

  @Test
  void aStaleTurnIsAnsweredWithTheNewerEpochAndHolder() throws Exception {
    cluster = new Cluster(mqtt.url(), dir, quick().build(), "laptop", "dongle").startAll();
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(AttemptResult.temporary("refused"));
    dongle.path.thenHang(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    List<JsonObject> dongleInbox = watchDongleInbox();
    ItemMeta item = laptop.submit();
    await().atMost(Duration.ofSeconds(20)).until(() -> dongle.path.attempts.size() == 1);

    // a turn signed by the dongle as if it had never heard of epoch 1
    CommandCodec asDongle = dongle.forger(dir.resolve("forger"));
    JsonObject stale = new JsonObject();
    stale.addProperty("item", item.id().toString());
    stale.add("meta", item.toJson());
    stale.addProperty("epoch", 0);
    stale.addProperty("holder", "laptop");
    stale.addProperty("reason", "sync");
    stale.addProperty("round", 0);
    stale.addProperty("delayMs", 0);
    stale.addProperty("attempts", 0);
    stale.addProperty("duplicates", 0);
    stale.addProperty("takeover", false);
    spy.publish("twinpath/laptop/inbox", asDongle.seal("turn", laptop.id, stale), 1, false);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dongleInbox.stream().anyMatch(b -> isTurn(b, 1, "sync: a newer turn")));
    JsonObject answer =
        dongleInbox.stream()
            .filter(b -> isTurn(b, 1, "sync: a newer turn"))
            .findFirst()
            .orElseThrow();
    assertThat(Json.string(answer, "holder")).isEqualTo("dongle");
    assertThat(laptop.events.lines).anyMatch(l -> l.contains("a stale turn for " + item.id()));
    // the dongle, which knows epoch 1, ignores the answer and goes on with its attempt
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
  }

  @Test
  void unfinishedItemsAreAnnouncedPeriodicallyAndNoLongerOnceFinished() throws Exception {
    cluster =
        new Cluster(
                mqtt.url(),
                dir,
                quick().reannounceInterval(Duration.ofMillis(300)).build(),
                "laptop",
                "dongle")
            .startAll();
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(AttemptResult.temporary("refused"));
    dongle.path.thenHang(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    List<JsonObject> dongleInbox = watchDongleInbox();
    ItemMeta item = laptop.submit();

    // the dongle attempts (its attempt hangs); the laptop keeps telling it the turn is its own
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> dongleInbox.stream().filter(b -> isTurn(b, 1, ANNOUNCED)).count() >= 3);
    assertThat(dongle.path.attempts).hasSize(1);

    dongle.path.release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> laptop.c().outcome(item.id()).isPresent());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> dongle.c().status().queue().isEmpty() && laptop.c().status().queue().isEmpty());
    long announced = dongleInbox.stream().filter(b -> isTurn(b, 1, ANNOUNCED)).count();
    Cluster.holdsLater(
        () ->
            assertThat(dongleInbox.stream().filter(b -> isTurn(b, 1, ANNOUNCED)).count())
                .isEqualTo(announced));
    assertThat(dongle.path.attempts).hasSize(1);
  }

  /** Starts laptop and dongle, {@code device} with a 1 s takeover delay, the other 5 minutes. */
  private void startWithOneSecondTakeoverOn(String device) throws Exception {
    cluster = new Cluster(mqtt.url(), dir, quick().build(), "laptop", "dongle");
    cluster.node(device).ownSettings = quick().takeoverDelay(Duration.ofSeconds(1)).build();
    cluster.startAll();
  }

  @Test
  void theWaitingDeviceUsesTheHoldersShorterTakeoverDelay() throws Exception {
    // the laptop would be taken over after 1 s, the dongle after 5 minutes: both use 1 s
    startWithOneSecondTakeoverOn("laptop");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.thenHang(AttemptResult.temporary("timed out"));
    dongle.path.then(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    ItemMeta item = laptop.submit();
    awaitCopy(dongle);
    laptop.c().crash();
    laptop.coordinator = null;

    await().atMost(Duration.ofSeconds(15)).until(() -> dongle.events.has("takeover " + item.id()));
    await().atMost(Duration.ofSeconds(15)).until(() -> dongle.c().outcome(item.id()).isPresent());
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
  }

  @Test
  void aReturningHolderUsesThePeersShorterTakeoverDelay() throws Exception {
    // the dongle takes over after 1 s; the laptop's own setting is 5 minutes
    startWithOneSecondTakeoverOn("dongle");
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.thenHang(AttemptResult.temporary("timed out"));
    ItemMeta item = laptop.submit();
    awaitCopy(dongle);
    // the laptop's record notes the dongle's complete copy before anything goes down
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Files.readString(laptop.dataDir().resolve("engine").resolve(item.id() + ".json"))
                    .contains("copiedTo"));

    // both go down; the laptop returns after 10 s away (its alive mark says so), the dongle does
    // not: the dongle could have taken over after its 1 s, so the laptop must not send
    dongle.c().crash();
    dongle.coordinator = null;
    laptop.c().crash();
    laptop.coordinator = null;
    int attemptsBefore = laptop.path.attempts.size();
    Files.writeString(
        laptop.dataDir().resolve("engine").resolve("alive"),
        Instant.now().minusSeconds(10).toString());
    laptop.start();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                laptop.c().status().queue().stream()
                    .anyMatch(
                        v ->
                            v.item().equals(item.id())
                                && String.valueOf(v.lastFailure()).contains("waiting for")));
    Cluster.holdsLater(() -> assertThat(laptop.path.attempts).hasSize(attemptsBefore));
  }
}
