package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.testing.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A broker restart in the middle of a copy loses nothing: the copy resumes and completes. */
class BrokerRestartIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;
  Cluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aBrokerRestartMidTransferLosesNothing() throws Exception {
    cluster =
        new Cluster(
                mqtt.url(),
                dir,
                CoordinatorSettings.builder()
                    .takeoverDelay(Duration.ofMinutes(5))
                    .chunkSize(4096)
                    .copyWindow(2)
                    .build(),
                "laptop",
                "dongle")
            .startAll();
    Cluster.Node laptop = cluster.node("laptop");
    Cluster.Node dongle = cluster.node("dongle");
    byte[] message = bigMessage(600 * 1024);
    laptop.path.thenHang(AttemptResult.temporary("timed out"));
    dongle.path.then(AttemptResult.delivered("250 OK", Set.of("a@example.org")));
    ItemMeta item = laptop.store.enqueue(laptop.id, Cluster.clock(), message, "a@example.org");
    laptop.c().submit(item);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                laptop.events.lines.stream()
                    .anyMatch(
                        l -> l.startsWith("copyProgress") && !l.endsWith(" 0/" + message.length)));
    mqtt.broker().restart();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                laptop.events.has("copyProgress " + item.id() + " dongle " + message.length + "/"));
    // the host's hung attempt now fails: the dongle sends the bytes it received
    laptop.path.release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> laptop.c().outcome(item.id()).isPresent());
    assertThat(laptop.c().outcome(item.id()).orElseThrow().path()).isEqualTo(dongle.id);
    Cluster.holdsLater(() -> assertThat(dongle.path.attempts).hasSize(1));
    assertThat(dongle.path.attempts.get(0).bytes()).isEqualTo(message);
  }

  static byte[] bigMessage(int size) {
    StringBuilder b =
        new StringBuilder(
            "Message-ID: <big@example.org>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\n");
    Random r = new Random(42);
    while (b.length() < size - 80) {
      for (int i = 0; i < 76; i++) {
        b.append((char) ('a' + r.nextInt(26)));
      }
      b.append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
