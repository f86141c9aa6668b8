package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.CommitGate;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import io.twinpath.testing.MosquittoExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Possible duplicates are counted where a final dot may have reached the server unanswered, and
 * only there: crashes and restarts of a device with its real spool, its SMTP sender through a fault
 * proxy to GreenMail, over a real Mosquitto.
 */
class PossibleDuplicateIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final Duration WAIT = Duration.ofSeconds(30);
  static final DeviceId LAPTOP = DeviceId.of("laptop");
  static final DeviceId DONGLE = DeviceId.of("dongle");
  static final List<DeviceId> ORDER = List.of(LAPTOP, DONGLE);
  static final CoordinatorSettings SETTINGS =
      CoordinatorSettings.builder()
          .takeoverDelay(Duration.ofMillis(500))
          .initialBackoff(Duration.ofMillis(200))
          .maxBackoff(Duration.ofSeconds(1))
          .syncTimeout(Duration.ofSeconds(2))
          .build();

  @TempDir Path dir;
  GreenMail greenMail;
  FaultProxy hostPath;
  final List<SpoolDevice> devices = new ArrayList<>();

  @BeforeEach
  void servers() throws IOException {
    greenMail =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    greenMail.start();
    hostPath = FaultProxy.to("127.0.0.1", greenMail.getSmtp().getPort());
    SpoolDevice.pairAll(dir, ORDER);
  }

  @AfterEach
  void stopAll() throws IOException {
    for (SpoolDevice d : devices) {
      d.stop(false);
    }
    hostPath.close();
    greenMail.stop();
  }

  SpoolDevice laptop(CoordinatorSettings s, Duration connectTimeout, Duration readTimeout)
      throws IOException {
    SpoolDevice d = new SpoolDevice(dir, LAPTOP, ORDER, hostPath.port(), s);
    d.connectTimeout = connectTimeout;
    d.readTimeout = readTimeout;
    devices.add(d);
    return d;
  }

  SpoolDevice dongle() throws IOException {
    SpoolDevice d = new SpoolDevice(dir, DONGLE, ORDER, greenMail.getSmtp().getPort(), SETTINGS);
    devices.add(d);
    return d.start(mqtt.url());
  }

  static void awaitOnline(SpoolDevice... ds) {
    for (SpoolDevice d : ds) {
      await()
          .atMost(WAIT)
          .until(() -> d.c().status().peers().values().stream().allMatch("online"::equals));
    }
  }

  static byte[] message(String subject) {
    return ("Message-ID: <"
            + subject
            + "@example.org>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\nFrom: me@example.org\r\n"
            + "To: a@example.org\r\nSubject: "
            + subject
            + "\r\n\r\nHello.\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  static DeviceStatus.Outcome awaitOutcome(SpoolDevice d, OutboundItem item) {
    await().atMost(WAIT).until(() -> d.c().outcome(item.id()).isPresent());
    return d.c().outcome(item.id()).orElseThrow();
  }

  /** Counts down when this device starts an attempt of any item. */
  static TwinpathListener onAttemptStarted(CountDownLatch started) {
    return new TwinpathListener() {
      @Override
      public void attemptStarted(ItemId item, DeviceId device, long epoch, int attempt) {
        started.countDown();
      }
    };
  }

  String record(SpoolDevice d, OutboundItem item) throws IOException {
    return Files.readString(d.data.resolve("engine").resolve(item.id() + ".json"));
  }

  @Test
  void aCrashWhileStuckInConnectOnABlackHoleCountsNoPossibleDuplicate() throws Exception {
    hostPath.set(Fault.blackHole());
    CountDownLatch started = new CountDownLatch(1);
    // each connect hangs until its timeout, far longer than the test takes to crash the laptop
    SpoolDevice laptop = laptop(SETTINGS, Duration.ofSeconds(3), Duration.ofSeconds(3));
    laptop.extra = onAttemptStarted(started);
    laptop.start(mqtt.url());
    SpoolDevice dongle = dongle();
    awaitOnline(laptop, dongle);
    OutboundItem item = laptop.queue(message("blackhole-crash"), "a@example.org");
    laptop.c().submit(item);
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    laptop.stop(true); // kill -9 in the middle of connect()
    assertThat(record(laptop, item)).contains("\"ATTEMPTING\"").doesNotContain("finalDotSent");

    // back on the same data: the path is still black-holed, so the dongle ends up delivering
    laptop.extra = null;
    laptop.start(mqtt.url());
    DeviceStatus.Outcome o = awaitOutcome(laptop, item);
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(DONGLE);
    assertThat(o.possibleDuplicates()).isZero();
    assertThat(laptop.c().status().possibleDuplicates()).isZero();
    assertThat(laptop.events.has("attemptFailed " + item.id() + " laptop TEMPORARY")).isTrue();
    assertThat(laptop.events.has("possibleDuplicate")).isFalse();
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    assertThat(dongle.c().outcome(item.id()).orElseThrow().possibleDuplicates()).isZero();
    assertThat(dongle.events.has("possibleDuplicate")).isFalse();
    Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(1));
    assertThat(hostPath.finalDotsSeen()).isZero();
  }

  @Test
  void aRestartAfterTheFinalDotWentOutUnansweredCountsExactlyOne() throws Exception {
    hostPath.set(Fault.hangAfterFinalDot());
    SpoolDevice laptop = laptop(SETTINGS, Duration.ofSeconds(1), Duration.ofSeconds(20));
    laptop.start(mqtt.url());
    SpoolDevice dongle = dongle();
    awaitOnline(laptop, dongle);
    OutboundItem item = laptop.queue(message("dot-crash"), "a@example.org");
    laptop.c().submit(item);
    await().atMost(WAIT).until(() -> hostPath.finalDotsSeen() == 1);
    laptop.stop(true); // kill -9 while waiting for the reply to the final dot
    assertThat(record(laptop, item)).contains("\"finalDotSent\":true");

    hostPath.set(Fault.none());
    laptop.start(mqtt.url());
    DeviceStatus.Outcome o = awaitOutcome(laptop, item);
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.possibleDuplicates()).isEqualTo(1);
    assertThat(laptop.c().status().possibleDuplicates()).isEqualTo(1);
    assertThat(laptop.events.count("possibleDuplicate " + item.id())).isEqualTo(1);
    assertThat(record(laptop, item)).doesNotContain("finalDotSent");
    // the peer keeps the same count in its outcome
    await()
        .atMost(WAIT)
        .until(() -> dongle.c().outcome(item.id()).map(x -> x.possibleDuplicates()).orElse(0) == 1);
    // the server did get the first dot: the duplicate is real, and it was named
    Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(2));
    assertThat(laptop.c().outcome(item.id()).orElseThrow().possibleDuplicates()).isEqualTo(1);
  }

  @Test
  void theCountSurvivesARestartBetweenTheFlagAndTheOutcome() throws Exception {
    // alone, so the turn stays; a long backoff keeps the item waiting after the flag
    CoordinatorSettings slow =
        CoordinatorSettings.builder()
            .takeoverDelay(Duration.ofMillis(500))
            .initialBackoff(Duration.ofMinutes(5))
            .maxBackoff(Duration.ofMinutes(5))
            .syncTimeout(Duration.ofSeconds(2))
            .build();
    hostPath.set(Fault.resetAfterFinalDot());
    SpoolDevice laptop = laptop(slow, Duration.ofSeconds(1), Duration.ofSeconds(3));
    laptop.start(mqtt.url());
    OutboundItem item = laptop.queue(message("flag-restart"), "a@example.org");
    laptop.c().submit(item);
    await().atMost(WAIT).until(() -> laptop.c().status().possibleDuplicates() == 1);
    assertThat(laptop.c().outcome(item.id())).isEmpty();
    laptop.stop(true);

    hostPath.set(Fault.none());
    laptop.start(mqtt.url());
    assertThat(laptop.c().status().possibleDuplicates()).isEqualTo(1);
    DeviceStatus.Outcome o = awaitOutcome(laptop, item);
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.possibleDuplicates()).isEqualTo(1);
    assertThat(laptop.c().status().possibleDuplicates()).isEqualTo(1);
    Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(2));
  }

  @Test
  void aLostConnectionBeforeTheFinalDotIsAPlainFailure() throws Exception {
    // a path that reports its connection lost without ever asking for the final dot
    SpoolDevice laptop = laptop(SETTINGS, Duration.ofSeconds(1), Duration.ofSeconds(3));
    laptop.path =
        new SendPath() {
          @Override
          public AttemptResult attempt(ItemMeta item, InputStream message, Set<String> skip) {
            return AttemptResult.ambiguous("connection lost");
          }

          @Override
          public AttemptResult attempt(
              ItemMeta item, InputStream message, Set<String> skip, CommitGate beforeFinalDot) {
            return AttemptResult.ambiguous("connection lost in DATA");
          }
        };
    laptop.start(mqtt.url());
    SpoolDevice dongle = dongle();
    awaitOnline(laptop, dongle);
    OutboundItem item = laptop.queue(message("no-dot"), "a@example.org");
    laptop.c().submit(item);

    DeviceStatus.Outcome o = awaitOutcome(laptop, item);
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(DONGLE);
    assertThat(o.possibleDuplicates()).isZero();
    assertThat(laptop.events.has("attemptFailed " + item.id() + " laptop TEMPORARY")).isTrue();
    assertThat(laptop.events.has("possibleDuplicate")).isFalse();
    Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(1));
  }
}
