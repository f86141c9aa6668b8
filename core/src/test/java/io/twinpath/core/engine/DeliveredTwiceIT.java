package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.testing.MosquittoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two devices that both delivered (a takeover while the holder, cut off from the broker, was still
 * sending) learn of each other's delivery through the outcomes they exchange: the device whose
 * delivery came later counts the duplicate, once, however often the other's outcome arrives.
 */
class DeliveredTwiceIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;
  Cluster cluster;
  MqttClient injector;

  @AfterEach
  void stop() throws Exception {
    if (injector != null) {
      injector.disconnectForcibly(100, 100);
      injector.close(true);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theLaterDeliveryCountsTheDuplicateOnce() throws Exception {
    CoordinatorSettings settings =
        CoordinatorSettings.builder()
            .takeoverDelay(Duration.ofMinutes(5))
            .reannounceInterval(Duration.ofHours(1))
            .build();
    cluster = new Cluster(mqtt.url(), dir, settings, "laptop", "dongle").startAll();
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    ItemMeta item = laptop.submit();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> laptop.c().outcome(item.id()).map(o -> o.at() != null).orElse(false));
    DeviceStatus.Outcome own = laptop.c().outcome(item.id()).orElseThrow();
    assertThat(own.path()).isEqualTo(laptop.id);
    Instant deliveredHere = own.at();
    assertThat(deliveredHere).isNotNull();

    injector = new MqttClient(mqtt.url(), "injector", new MemoryPersistence());
    injector.connect();
    CommandCodec asDongle = dongle.forger(dir.resolve("forger"));

    // the dongle delivered after the laptop: the dongle's to count, not the laptop's
    publish(asDongle, laptop, outcome(item, deliveredHere.plusSeconds(5)));
    Cluster.holdsLater(
        () ->
            assertThat(laptop.c().outcome(item.id()).orElseThrow().possibleDuplicates()).isZero());

    // the dongle delivered before the laptop: the laptop's delivery is the duplicate
    publish(asDongle, laptop, outcome(item, deliveredHere.minusSeconds(5)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> laptop.c().outcome(item.id()).orElseThrow().possibleDuplicates() == 1);
    assertThat(laptop.events.lines).anyMatch(l -> l.contains("possibleDuplicate"));

    // the same outcome again (announced again, or answered to a sync): still one
    publish(asDongle, laptop, outcome(item, deliveredHere.minusSeconds(5)));
    Cluster.holdsLater(
        () ->
            assertThat(laptop.c().outcome(item.id()).orElseThrow().possibleDuplicates())
                .isEqualTo(1));
    assertThat(laptop.c().outcome(item.id()).orElseThrow().path()).isEqualTo(laptop.id);
  }

  @Test
  void aPeerThatReturnsIsToldAgainOfARecentDeliveryHere() throws Exception {
    cluster =
        new Cluster(
                mqtt.url(),
                dir,
                CoordinatorSettings.builder().reannounceInterval(Duration.ofHours(1)).build(),
                "laptop",
                "dongle")
            .startAll();
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    laptop.path.then(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    ItemMeta item = laptop.submit();
    await().atMost(Duration.ofSeconds(20)).until(() -> laptop.c().outcome(item.id()).isPresent());

    java.util.List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    injector = new MqttClient(mqtt.url(), "watcher", new MemoryPersistence());
    injector.connect();
    injector.subscribe(
        "twinpath/dongle/inbox",
        1,
        (t, m) -> {
          String text = new String(m.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
          JsonObject outer = io.twinpath.core.wire.Json.object(text);
          String body =
              new String(
                  java.util.Base64.getDecoder()
                      .decode(io.twinpath.core.wire.Json.string(outer, "body")),
                  java.nio.charset.StandardCharsets.UTF_8);
          if (body.contains("\"type\":\"outcome\"") && body.contains(item.id().toString())) {
            outcomes.add(body);
          }
        });
    // the dongle goes away and comes back on a new connection: told again, though it knows
    dongle.c().close();
    dongle.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> !outcomes.isEmpty());
    assertThat(outcomes.get(0))
        .contains("\"result\":\"delivered\"")
        .contains("\"path\":\"laptop\"");
    Cluster.holdsLater(
        () ->
            assertThat(dongle.c().outcome(item.id()).orElseThrow().possibleDuplicates()).isZero());
  }

  private void publish(CommandCodec codec, Cluster.Node to, JsonObject body) throws Exception {
    injector.publish(
        "twinpath/" + to.id.value() + "/inbox", codec.seal("outcome", to.id, body), 1, false);
  }

  private static JsonObject outcome(ItemMeta item, Instant at) {
    JsonObject o = new JsonObject();
    o.addProperty("item", item.id().toString());
    o.addProperty("result", "delivered");
    o.addProperty("path", "dongle");
    o.addProperty("at", at.toString());
    o.addProperty("reply", "250 OK");
    o.addProperty("duplicates", 0);
    return o;
  }
}
