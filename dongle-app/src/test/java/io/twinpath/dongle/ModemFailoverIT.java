package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import io.twinpath.testing.PtyPair;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's own path is broken (connection refused): the dongle takes the turn and delivers
 * through the simulated modem to the mail server exactly once, and both sides show which path
 * carried it.
 */
class ModemFailoverIT {
  @TempDir Path dir;

  @Test
  void hostPathBrokenDeliveredOnceThroughTheModem() throws Exception {
    DeviceId laptop = DeviceId.of("laptop");
    DeviceId dongle = DeviceId.of("dongle");
    Path hostData = Files.createDirectories(dir.resolve("host"));
    Path dongleData = Files.createDirectories(dir.resolve("dongle"));
    DeviceKeys hostKeys = DeviceKeys.loadOrCreate(hostData, laptop);
    DeviceKeys dongleKeys = DeviceKeys.loadOrCreate(dongleData, dongle);
    PairingStore.open(dongleData.resolve("peers.json")).trust(laptop, hostKeys.publicKeyBase64());
    PairingStore.open(hostData.resolve("peers.json")).trust(dongle, dongleKeys.publicKeyBase64());

    GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim = ModemSimulator.attach(pty.b().toString(), SimConfig.of(Dialect.EC25));
        FaultProxy hostPath = FaultProxy.to("127.0.0.1", mail.getSmtp().getPort())) {
      hostPath.set(Fault.refuse());
      DongleConfig config =
          DongleConfig.fromMap(
              Map.of(
                  "broker.port", "0",
                  "data.dir", dongleData.toString(),
                  "modem.port", pty.a().toString(),
                  "modem.dialect", "ec25",
                  "modem.apn", "internet",
                  "modem.poll", "1s",
                  "smtp.host", "127.0.0.1",
                  "smtp.port", Integer.toString(mail.getSmtp().getPort()),
                  "smtp.tls", "none",
                  "takeover.delay", "2s"),
              Map.of("HOME", dir.toString()));
      try (Secondary secondary = Secondary.start(config, Clock.systemUTC())) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    secondary.healthJson().contains("\"data\":true")
                        && secondary.coordinator().link().orElseThrow().isConnected());
        // the host connects after the dongle (the embedded broker can miss a retained state
        // published in the same instant as another client's subscription)
        try (Spool spool = Spool.open(hostData.resolve("spool"));
            Coordinator host =
                Coordinator.builder()
                    .device(laptop)
                    .order(List.of(laptop, dongle))
                    .dataDir(hostData)
                    .broker(
                        LinkSettings.builder()
                            .brokerUrl(secondary.brokerUrl())
                            .device(laptop)
                            .role("host")
                            .dataDir(hostData)
                            .build())
                    .spool(spool)
                    .sender(
                        SmtpSender.create(
                            SmtpSettings.builder()
                                .host("127.0.0.1")
                                .port(hostPath.port())
                                .tls(SmtpSettings.TlsMode.NONE)
                                .connectTimeout(Duration.ofSeconds(5))
                                .readTimeout(Duration.ofSeconds(10))
                                .writeTimeout(Duration.ofSeconds(10))
                                .build()))
                    .settings(
                        CoordinatorSettings.builder()
                            .initialBackoff(Duration.ofSeconds(1))
                            .maxBackoff(Duration.ofSeconds(5))
                            .build())
                    .clock(Clock.systemUTC())
                    .build()
                    .start()) {
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      "online".equals(host.status().peers().get(dongle))
                          && "online".equals(secondary.status().peers().get(laptop)));
          String message =
              "From: ana@example.org\r\nTo: bo@example.net\r\nSubject: failover\r\n"
                  + "Message-ID: <failover-1@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00"
                  + " +0000\r\n\r\nSent over cellular.\r\n";
          OutboundItem item =
              spool.enqueue(
                  Envelope.of("ana@example.org", List.of("bo@example.net")),
                  new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)),
                  Instant.now().plus(Duration.ofHours(1)),
                  laptop);
          host.submit(item);

          await().atMost(Duration.ofSeconds(90)).until(() -> host.outcome(item.id()).isPresent());
          DeviceStatus.Outcome outcome = host.outcome(item.id()).orElseThrow();
          assertThat(outcome.result()).isEqualTo("delivered");
          assertThat(outcome.path()).isEqualTo(dongle);
          assertThat(mail.getReceivedMessages()).hasSize(1);
          assertThat(new String(mail.getReceivedMessages()[0].getMessageID()))
              .contains("failover-1@example.org");
          assertThat(host.status().pathHealth())
              .as("the host tried its own path")
              .isEqualTo("failing");
          assertThat(sim.tcpBytesSent()).as("the bytes went through the modem").isGreaterThan(100);
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      secondary.status().recent().stream()
                          .anyMatch(o -> o.item().equals(item.id()) && dongle.equals(o.path())));
          // nothing goes out twice: the mail server keeps exactly one message for a while
          await()
              .during(Duration.ofSeconds(3))
              .atMost(Duration.ofSeconds(5))
              .until(() -> mail.getReceivedMessages().length == 1);
          assertThat(mail.getReceivedMessages()).hasSize(1);
        }
      }
    } finally {
      mail.stop();
    }
  }
}
