package io.twinpath.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import io.twinpath.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MqttLinkIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;
  private final List<MqttLink> links = new ArrayList<>();
  private static final AtomicInteger RECEIVERS = new AtomicInteger();

  /**
   * The receiver's device, new for every test: its persistent session on the broker (shared by the
   * class) may still hold redeliveries of an earlier test's messages.
   */
  private final DeviceId b = DeviceId.of("b" + RECEIVERS.incrementAndGet());

  private final ConcurrentLinkedQueue<String> inboxB = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> statesB = new ConcurrentLinkedQueue<>();

  @AfterEach
  void closeLinks() {
    links.forEach(MqttLink::close);
  }

  private MqttLink link(String device, int maxInflight, MqttLink.Handler h) throws Exception {
    LinkSettings s =
        LinkSettings.builder()
            .brokerUrl(mqtt.url())
            .device(DeviceId.of(device))
            .role("test")
            .dataDir(dir.resolve(device))
            .maxInflight(maxInflight)
            .keepAlive(Duration.ofSeconds(2))
            .build();
    MqttLink l = MqttLink.start(s, Clock.systemUTC(), h);
    links.add(l);
    await().atMost(Duration.ofSeconds(10)).until(l::isConnected);
    return l;
  }

  private MqttLink receiverB() throws Exception {
    return link(
        b.value(),
        8,
        (topic, payload, dup) -> {
          String text = new String(payload, StandardCharsets.UTF_8);
          if (topic.equals(Topics.inbox(b))) {
            inboxB.add(text);
          } else {
            statesB.add(topic + " " + text);
          }
        });
  }

  @Test
  void thousandsOfSequentialPublishesWithASmallWindowAllArriveInOrder() throws Exception {
    receiverB();
    // a device of its own: a retained state left by another test would make the link announce
    // itself online again, which is a publish too
    MqttLink a = link("seq", 2, (t, p, d) -> {});
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    int n = 3000;
    for (int i = 0; i < n; i++) {
      acks.add(a.publish(Topics.inbox(b), ("m" + i).getBytes(StandardCharsets.UTF_8), false));
    }
    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get();
    await().atMost(Duration.ofSeconds(30)).until(() -> inboxB.size() >= n);
    List<String> got = new ArrayList<>(inboxB);
    assertThat(got).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(got.get(i)).isEqualTo("m" + i);
    }
    assertThat(a.publishedCount()).isEqualTo(n + 0L);
  }

  @Test
  void anAbortedLinkIsAnnouncedOfflineByItsLastWill() throws Exception {
    receiverB();
    MqttLink a = link("a", 8, (t, p, d) -> {});
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                statesB.stream()
                    .anyMatch(s -> s.startsWith("twinpath/a/state") && s.contains("\"online\"")));
    a.abort();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                statesB.stream()
                    .anyMatch(s -> s.startsWith("twinpath/a/state") && s.contains("\"offline\"")));
  }

  @Test
  void commandsSentWhileTheReceiverIsAwayArriveWhenItReturns() throws Exception {
    MqttLink away = receiverB();
    away.close();
    MqttLink a = link("a", 8, (t, p, d) -> {});
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      acks.add(a.publish(Topics.inbox(b), ("q" + i).getBytes(StandardCharsets.UTF_8), false));
    }
    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get();
    receiverB();
    await().atMost(Duration.ofSeconds(10)).until(() -> inboxB.size() >= 50);
    assertThat(inboxB).startsWith("q0", "q1", "q2").contains("q49");
  }

  @Test
  void aBrokerRestartInTheMiddleOfAStreamLosesNothing() throws Exception {
    receiverB();
    MqttLink a = link("a", 8, (t, p, d) -> {});
    int n = 2000;
    for (int i = 0; i < n; i++) {
      a.publish(Topics.inbox(b), ("r" + i).getBytes(StandardCharsets.UTF_8), false);
      if (i == n / 3) {
        mqtt.broker().restart();
      }
    }
    Set<String> expected = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      expected.add("r" + i);
    }
    // every message, each at least once (QoS 1 may repeat some after the restart); a set of what
    // arrived, not the queue, answers each look in linear time
    await().atMost(Duration.ofSeconds(60)).until(() -> new HashSet<>(inboxB).containsAll(expected));
    assertThat(new LinkedHashSet<>(inboxB)).isEqualTo(expected);
  }

  @Test
  void aClientReplacedDuringAnOutageLosesNothingAndKeepsPublishing() throws Exception {
    receiverB();
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", mqtt.broker().port())) {
      MqttLink a =
          MqttLink.start(
              LinkSettings.builder()
                  .brokerUrl("tcp://127.0.0.1:" + proxy.port())
                  .device(DeviceId.of("replaced"))
                  .role("test")
                  .dataDir(dir.resolve("replaced"))
                  .maxInflight(2)
                  .keepAlive(Duration.ofSeconds(2))
                  .connectTimeout(Duration.ofSeconds(1))
                  .build(),
              Clock.systemUTC(),
              (t, p, d) -> {});
      links.add(a);
      await().atMost(Duration.ofSeconds(10)).until(a::isConnected);
      // the path goes quiet in the middle of a stream: new connections are accepted and never
      // answered, so connects never end and the client is replaced
      proxy.set(Fault.silent());
      for (int i = 0; i < 40; i++) {
        a.publish(Topics.inbox(b), ("s" + i).getBytes(StandardCharsets.UTF_8), false);
      }
      proxy.resetAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> a.clientsReplaced() >= 1);
      proxy.set(Fault.none());
      for (int i = 40; i < 80; i++) {
        a.publish(Topics.inbox(b), ("s" + i).getBytes(StandardCharsets.UTF_8), false);
      }
      await().atMost(Duration.ofSeconds(40)).until(() -> new LinkedHashSet<>(inboxB).size() >= 80);
      Set<String> unique = new LinkedHashSet<>(inboxB);
      for (int i = 0; i < 80; i++) {
        assertThat(unique).contains("s" + i);
      }
      assertThat(a.queued()).isZero();
    }
  }
}
