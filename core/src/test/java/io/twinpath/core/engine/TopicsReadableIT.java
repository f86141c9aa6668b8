package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.testing.MosquittoExtension;
import io.twinpath.testing.SystemComponents;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees with {@code mosquitto_sub -v -t 'twinpath/#'} while a mail goes out. */
class TopicsReadableIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;
  Cluster cluster;
  Process sub;

  @AfterEach
  void stop() {
    if (sub != null) {
      sub.destroyForcibly();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void stateStatusAndEventsAreReadableJson() throws Exception {
    Path bin = SystemComponents.requireCommand("mosquitto_sub", "mosquitto-clients");
    cluster =
        new Cluster(mqtt.url(), dir, CoordinatorSettings.defaults(), "laptop", "dongle").startAll();
    StringBuffer seen = new StringBuffer();
    sub =
        new ProcessBuilder(
                bin.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(mqtt.broker().port()),
                "-v",
                "-t",
                "twinpath/#")
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  seen.append(line).append('\n');
                }
              } catch (java.io.IOException e) {
                // the process was stopped
              }
            });
    reader.setDaemon(true);
    reader.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> seen.toString().contains("twinpath/dongle/state {"));

    Cluster.Node laptop = cluster.node("laptop");
    laptop.path.then(AttemptResult.temporary("421 4.7.0 try again later"));
    ItemMeta item =
        laptop.store.enqueue(laptop.id, Cluster.clock(), CoordinatorIT.MESSAGE, "a@example.org");
    laptop.c().submit(item);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                seen.toString().contains("\"event\":\"delivered\"")
                    && seen.toString().contains("\"result\":\"delivered\""));
    String out = seen.toString();
    assertThat(out)
        .contains(
            "twinpath/laptop/state {\"device\":\"laptop\",\"role\":\"host\",\"state\":\"online\"")
        .contains("twinpath/laptop/events {\"event\":\"attemptFailed\"")
        .contains("\"reason\":\"421 4.7.0 try again later\"")
        .contains("twinpath/laptop/events {\"event\":\"turnPassed\"")
        .contains("twinpath/dongle/events {\"event\":\"delivered\"")
        .contains("twinpath/laptop/status {\"device\":\"laptop\"");
    // commands are signed blobs: readable as JSON, but the body is base64
    assertThat(out).contains("twinpath/dongle/inbox {\"from\":\"laptop\",\"body\":\"");
  }
}
