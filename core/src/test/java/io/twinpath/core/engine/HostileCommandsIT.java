package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.Json;
import io.twinpath.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * Another client on the broker sniffs the secondary's inbox and sends it forged, unsigned, replayed
 * and malformed commands: each is refused with its reason, nothing is sent, and the secondary keeps
 * working.
 */
class HostileCommandsIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;
  Cluster cluster;
  MqttClient mallory;

  @AfterEach
  void stop() throws Exception {
    if (mallory != null) {
      mallory.disconnectForcibly(100, 100);
      mallory.close(true);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void forgedUnsignedReplayedAndMalformedCommandsAreRefusedAndNothingIsSent() throws Exception {
    cluster =
        new Cluster(
                mqtt.url(),
                dir,
                CoordinatorSettings.builder().takeoverDelay(Duration.ofSeconds(30)).build(),
                "laptop",
                "dongle")
            .startAll();
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");

    // mallory listens to the dongle's inbox while a real failover happens
    List<byte[]> sniffed = new CopyOnWriteArrayList<>();
    mallory = new MqttClient(mqtt.url(), "mallory", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    mallory.connect(o);
    mallory.subscribe("twinpath/dongle/inbox", 1, (t, m) -> sniffed.add(m.getPayload()));

    laptop.path.then(AttemptResult.temporary("refused"));
    dongle.path.then(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    ItemMeta item =
        laptop.store.enqueue(laptop.id, Cluster.clock(), CoordinatorIT.MESSAGE, "a@example.org");
    laptop.c().submit(item);
    await().atMost(Duration.ofSeconds(20)).until(() -> laptop.c().outcome(item.id()).isPresent());
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
    byte[] capturedTurn =
        sniffed.stream().filter(p -> typeOf(p).equals("turn")).findFirst().orElseThrow();

    // 1. a replay of the real, correctly signed turn
    mallory.publish("twinpath/dongle/inbox", capturedTurn, 1, false);
    // 2. unsigned
    mallory.publish(
        "twinpath/dongle/inbox",
        "{\"from\":\"laptop\",\"body\":\"e30=\"}".getBytes(StandardCharsets.UTF_8),
        1,
        false);
    // 3. a turn for a new item, signed by a key that is not the laptop's
    DeviceKeys impostor = DeviceKeys.loadOrCreate(dir.resolve("impostor"), DeviceId.of("laptop"));
    ItemId fake = ItemId.generate(Cluster.clock());
    String body =
        "{\"v\":1,\"type\":\"turn\",\"from\":\"laptop\",\"to\":\"dongle\",\"seq\":999999999,"
            + "\"ts\":\"2026-01-01T00:00:00Z\",\"item\":\""
            + fake
            + "\",\"epoch\":99,\"holder\":\"dongle\"}";
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    mallory.publish(
        "twinpath/dongle/inbox",
        CommandCodec.wrap("laptop", bodyBytes, impostor.sign(bodyBytes)),
        1,
        false);
    // 4. an unknown sender
    mallory.publish(
        "twinpath/dongle/inbox",
        CommandCodec.wrap("mallory", bodyBytes, impostor.sign(bodyBytes)),
        1,
        false);
    // 5. not even JSON
    mallory.publish("twinpath/dongle/inbox", new byte[] {0, 1, 2, (byte) 0xff}, 1, false);

    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.events.count("commandRejected") >= 5);
    List<String> rejected =
        dongle.events.lines.stream().filter(l -> l.startsWith("commandRejected")).toList();
    assertThat(rejected)
        .anyMatch(l -> l.contains("is a replay"))
        .anyMatch(l -> l.contains("unsigned"))
        .anyMatch(l -> l.contains("signature does not match laptop's paired key"))
        .anyMatch(l -> l.contains("the sender mallory is not paired"))
        .anyMatch(l -> l.contains("not a JSON object"));
    // no key material in any reason
    for (String l : rejected) {
      assertThat(l).doesNotContain(impostor.publicKeyBase64());
    }
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
    assertThat(dongle.c().status().queue()).isEmpty();

    // and the dongle still works
    laptop.path.then(AttemptResult.temporary("refused again"));
    ItemMeta second =
        laptop.store.enqueue(laptop.id, Cluster.clock(), CoordinatorIT.MESSAGE, "b@example.org");
    laptop.c().submit(second);
    await().atMost(Duration.ofSeconds(20)).until(() -> laptop.c().outcome(second.id()).isPresent());
    assertThat(laptop.c().outcome(second.id()).orElseThrow().path()).isEqualTo(dongle.id);
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(2));
  }

  private static String typeOf(byte[] payload) {
    try {
      String body = Json.string(Json.object(new String(payload, StandardCharsets.UTF_8)), "body");
      String json = new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      return String.valueOf(Json.string(Json.object(json), "type"));
    } catch (Exception e) {
      return "";
    }
  }
}
