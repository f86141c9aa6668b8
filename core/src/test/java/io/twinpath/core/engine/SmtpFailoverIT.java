package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import io.twinpath.testing.MosquittoExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole outbound path with real parts: each device's crash-safe spool, its SMTP sender to
 * GreenMail (the host's through a fault proxy), coordinators talking over a real Mosquitto.
 */
class SmtpFailoverIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final Duration WAIT = Duration.ofSeconds(30);
  static final DeviceId LAPTOP = DeviceId.of("laptop");
  static final DeviceId DONGLE = DeviceId.of("dongle");
  static final List<DeviceId> ORDER = List.of(LAPTOP, DONGLE);

  @TempDir Path dir;
  GreenMail greenMail;
  FaultProxy hostPath;
  final List<SpoolDevice> devices = new ArrayList<>();
  static final CoordinatorSettings SETTINGS =
      CoordinatorSettings.builder()
          .takeoverDelay(Duration.ofMillis(500))
          .initialBackoff(Duration.ofMillis(200))
          .maxBackoff(Duration.ofSeconds(1))
          .syncTimeout(Duration.ofSeconds(3))
          .build();

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

  SpoolDevice device(DeviceId id, String url, int smtpPort) throws IOException {
    SpoolDevice d = new SpoolDevice(dir, id, ORDER, smtpPort, SETTINGS);
    devices.add(d);
    return d.start(url);
  }

  SpoolDevice laptop() throws IOException {
    return device(LAPTOP, mqtt.url(), hostPath.port());
  }

  SpoolDevice dongle() throws IOException {
    return device(DONGLE, mqtt.url(), greenMail.getSmtp().getPort());
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
            + "\r\n\r\nHello over two paths.\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  DeviceStatus.Outcome awaitOutcome(SpoolDevice d, OutboundItem item) {
    await().atMost(WAIT).until(() -> d.c().outcome(item.id()).isPresent());
    return d.c().outcome(item.id()).orElseThrow();
  }

  @Test
  void happyPathTheHostDeliversOnceAndTheCopyIsDeleted() throws Exception {
    SpoolDevice laptop = laptop();
    SpoolDevice dongle = dongle();
    awaitOnline(laptop, dongle);
    OutboundItem item = laptop.queue(message("happy"), "a@example.org");
    laptop.c().submit(item);

    DeviceStatus.Outcome o = awaitOutcome(laptop, item);
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(LAPTOP);
    assertThat(o.reply()).startsWith("250");
    await().atMost(WAIT).until(() -> dongle.c().outcome(item.id()).isPresent());
    assertThat(dongle.spool().list()).isEmpty();
    assertThat(dongle.spool().incomingCopies()).isEmpty();
    assertThat(laptop.spool().list()).isEmpty();
    Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(1));
    assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("happy");
  }

  @Test
  void hostPathRefusedTheSecondaryDeliversExactlyOnce() throws Exception {
    hostPath.set(Fault.refuse());
    SpoolDevice laptop = laptop();
    SpoolDevice dongle = dongle();
    awaitOnline(laptop, dongle);
    OutboundItem item = laptop.queue(message("refused"), "a@example.org");
    laptop.c().submit(item);

    DeviceStatus.Outcome o = awaitOutcome(laptop, item);
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(DONGLE);
    assertThat(laptop.events.has("attemptFailed " + item.id() + " laptop TEMPORARY")).isTrue();
    Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(1));
    await().atMost(WAIT).until(() -> dongle.spool().list().isEmpty());
    assertThat(laptop.spool().list()).isEmpty();
  }

  @Test
  void hostPathBlackHoledTheSecondaryDeliversExactlyOnce() throws Exception {
    hostPath.set(Fault.blackHole());
    SpoolDevice laptop = laptop();
    SpoolDevice dongle = dongle();
    awaitOnline(laptop, dongle);
    OutboundItem item = laptop.queue(message("blackhole"), "a@example.org");
    laptop.c().submit(item);

    DeviceStatus.Outcome o = awaitOutcome(laptop, item);
    assertThat(o.path()).isEqualTo(DONGLE);
    Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(1));
  }

  @Test
  void lostReplyToTheFinalDotIsRetriedAndCountedAsAPossibleDuplicate() throws Exception {
    hostPath.set(Fault.resetAfterFinalDot());
    SpoolDevice laptop = laptop();
    SpoolDevice dongle = dongle();
    awaitOnline(laptop, dongle);
    OutboundItem item = laptop.queue(message("ambiguous"), "a@example.org");
    laptop.c().submit(item);

    DeviceStatus.Outcome o = awaitOutcome(laptop, item);
    assertThat(o.result()).isEqualTo("delivered");
    assertThat(o.path()).isEqualTo(DONGLE);
    assertThat(o.possibleDuplicates()).isEqualTo(1);
    assertThat(laptop.c().status().possibleDuplicates()).isEqualTo(1);
    // the server did get the host's dot: the duplicate is real, and it was named, not hidden
    assertThat(hostPath.finalDotsSeen()).isEqualTo(1);
    Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(2));
  }

  @Test
  void hostDiesHoldingTheTurnTheSecondaryTakesOverAndTheHostLearnsOnReturn() throws Exception {
    // the host reaches the broker through a proxy we can cut; its SMTP server never answers
    FaultProxy hostBroker = FaultProxy.to("127.0.0.1", mqtt.broker().port());
    try {
      hostPath.set(Fault.silent());
      SpoolDevice laptop = device(LAPTOP, "tcp://127.0.0.1:" + hostBroker.port(), hostPath.port());
      SpoolDevice dongle = dongle();
      awaitOnline(laptop, dongle);
      OutboundItem item = laptop.queue(message("takeover"), "a@example.org");
      laptop.c().submit(item);
      await()
          .atMost(WAIT)
          .until(() -> laptop.events.has("copyProgress " + item.id() + " dongle " + item.size()));

      // the host's link dies: the broker publishes its last will
      hostBroker.set(Fault.refuse());
      hostBroker.resetAll();
      await()
          .atMost(WAIT)
          .until(() -> dongle.events.has("takeover " + item.id() + " laptop dongle"));
      DeviceStatus.Outcome o = awaitOutcome(dongle, item);
      assertThat(o.path()).isEqualTo(DONGLE);
      Cluster.holdsLater(() -> assertThat(greenMail.getReceivedMessages()).hasSize(1));
      laptop.stop(true);

      // the host comes back (straight to the broker): it learns the outcome and sends nothing
      hostPath.set(Fault.none());
      int dotsBefore = hostPath.finalDotsSeen();
      long attemptsBefore = laptop.events.count("attemptStarted");
      laptop.start(mqtt.url());
      DeviceStatus.Outcome learned = awaitOutcome(laptop, item);
      assertThat(learned.result()).isEqualTo("delivered");
      assertThat(learned.path()).isEqualTo(DONGLE);
      await().atMost(WAIT).until(() -> laptop.spool().list().isEmpty());
      Cluster.holdsLater(
          () -> {
            assertThat(greenMail.getReceivedMessages()).hasSize(1);
            assertThat(hostPath.finalDotsSeen()).isEqualTo(dotsBefore);
            assertThat(laptop.events.count("attemptStarted")).isEqualTo(attemptsBefore);
          });
    } finally {
      hostBroker.close();
    }
  }
}
