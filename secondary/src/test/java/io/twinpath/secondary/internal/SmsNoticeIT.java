package io.twinpath.secondary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SendResult;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.spool.Spool;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.secondary.SecondarySettings;
import io.twinpath.testing.PtyPair;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cellular data down, SMS up: one notice per item and number, none again after a restart, the mail
 * stays queued and goes out through the modem once data returns.
 */
class SmsNoticeIT {
  @TempDir Path dir;

  @Test
  void oneNoticePerItemWhileDataIsDownThenDeliveredWhenItReturns() throws Exception {
    GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(
                pty.b().toString(), SimConfig.builder(Dialect.SIM7600).dataService(false).build());
        Spool spool = Spool.open(dir.resolve("spool"))) {
      SecondarySettings.Modem config =
          SecondarySettings.Modem.builder(
                  SerialSettings.of(pty.a().toString()),
                  ModemDialect.SIM7600,
                  ModemConfig.builder().apn("internet").build())
              .poll(Duration.ofSeconds(1))
              .build();
      List<String> numbers = List.of("+4915112345678", "+447700900123");
      String message =
          "From: Ana <ana@example.org>\r\nTo: bo@example.net\r\nSubject: =?UTF-8?Q?Quarterly_r=C3=A9port?="
              + "\r\nMessage-ID: <q1@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n"
              + "Numbers attached.\r\n";
      OutboundItem item =
          spool.enqueue(
              Envelope.of("ana@example.org", List.of("bo@example.net", "cy@example.net")),
              new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
              Instant.now().plus(Duration.ofDays(1)),
              DeviceId.of("laptop"));
      Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11));
      try (ModemPath modem =
          ModemPath.start(config, TwinpathListener.NONE, () -> {}, Clock.systemUTC())) {
        await().atMost(Duration.ofSeconds(30)).until(modem::smsUp);
        assertThat(modem.dataDown()).isTrue();

        SmsNotices early =
            notices(spool, modem, numbers, Clock.systemUTC(), NotifiedStore.open(dir.resolve("n")));
        assertThat(early.check()).as("not yet waited 10 minutes").isZero();

        SmsNotices notices =
            notices(spool, modem, numbers, later, NotifiedStore.open(dir.resolve("n")));
        assertThat(notices.check()).isEqualTo(2);
        assertThat(notices.check()).isZero();
        // a restart reads what was sent and does not send again
        SmsNotices restarted =
            notices(spool, modem, numbers, later, NotifiedStore.open(dir.resolve("n")));
        assertThat(restarted.check()).isZero();
        assertThat(sim.sentSms()).hasSize(2);
        assertThat(sim.sentTexts())
            .allSatisfy(
                t ->
                    assertThat(t)
                        .contains("Mail queued, not sent (no mobile data)")
                        .contains("From ana@example.org to bo@example.net +1")
                        .contains("Subject: Quarterly réport"));
        assertThat(sim.sentSms())
            .extracting(s -> s.number())
            .containsExactlyInAnyOrder("+4915112345678", "+447700900123");
        assertThat(spool.get(item.id())).as("the mail stays queued").isPresent();

        sim.setDataService(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> !modem.dataDown());
        SmtpSender sender =
            SmtpSender.create(
                SmtpSettings.builder()
                    .host("127.0.0.1")
                    .port(mail.getSmtp().getPort())
                    .tls(SmtpSettings.TlsMode.NONE)
                    .socketFactory(modem.socketFactory())
                    .build());
        SendResult r;
        try (InputStream in = spool.openMessage(item.id())) {
          r = sender.send(item, in, Set.of());
        }
        assertThat(r.outcome()).as(r.toString()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(mail.getReceivedMessages()).hasSize(2); // one per recipient mailbox
        assertThat(sim.tcpBytesSent()).isGreaterThan(message.length());
      }
    } finally {
      mail.stop();
    }
  }

  private static SmsNotices notices(
      Spool spool, ModemPath modem, List<String> numbers, Clock clock, NotifiedStore store) {
    return new SmsNotices(
        spool, modem, modem::sendSms, numbers, Duration.ofMinutes(10), store, clock);
  }
}
