package io.twinpath.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SendResult.Outcome;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolOptions;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spool enqueue with and without fsync, and SMTP sends of spooled items against plain Jakarta Mail
 * sends to the same in-JVM GreenMail, side by side in one run.
 */
@Tag("benchmark")
class SpoolSmtpBenchmarkTest {
  private static final int MESSAGES = 200;
  private static final int SENDS = 50;
  @TempDir Path dir;

  private static byte[] tenKb() throws Exception {
    StringBuilder body = new StringBuilder();
    while (body.length() < 10_000) {
      body.append("The quick brown fox jumps over the lazy dog, again and again.\n");
    }
    return TestMessages.prepare("From: me@x.org\nTo: a@y.org\nSubject: bench\n\n" + body);
  }

  private static double enqueueMillis(Path d, boolean fsync, byte[] msg) throws Exception {
    Envelope env = Envelope.of("me@x.org", List.of("a@y.org"));
    try (Spool s = Spool.open(d, SpoolOptions.builder().fsync(fsync).build())) {
      long t0 = System.nanoTime();
      for (int i = 0; i < MESSAGES; i++) {
        s.enqueue(
            env,
            new ByteArrayInputStream(msg),
            Instant.now().plusSeconds(600),
            DeviceId.of("laptop"));
      }
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  @Test
  void spoolAndSmtpThroughput() throws Exception {
    byte[] msg = tenKb();
    enqueueMillis(dir.resolve("warm"), false, msg);
    double noSync = enqueueMillis(dir.resolve("nosync"), false, msg);
    double sync = enqueueMillis(dir.resolve("sync"), true, msg);

    GreenMail gm =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    gm.start();
    double ours;
    double plain;
    try {
      int port = gm.getSmtp().getPort();
      SmtpSender sender =
          SmtpSender.create(
              SmtpSettings.builder()
                  .host("127.0.0.1")
                  .port(port)
                  .tls(TlsMode.NONE)
                  .readTimeout(Duration.ofSeconds(10))
                  .build());
      Properties p = new Properties();
      p.put("mail.smtp.host", "127.0.0.1");
      p.put("mail.smtp.port", String.valueOf(port));
      p.put("mail.smtp.connectiontimeout", "10000");
      p.put("mail.smtp.timeout", "10000");
      Session session = Session.getInstance(p);
      try (Spool s = Spool.open(dir.resolve("send"), SpoolOptions.builder().fsync(false).build())) {
        OutboundItem item =
            s.enqueue(
                Envelope.of("me@x.org", List.of("a@y.org")),
                new ByteArrayInputStream(msg),
                Instant.now().plusSeconds(600),
                DeviceId.of("laptop"));
        for (int i = 0; i < 5; i++) { // warm-up both
          send(sender, s, item);
          plainSend(session, msg);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < SENDS; i++) {
          send(sender, s, item);
        }
        ours = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        for (int i = 0; i < SENDS; i++) {
          plainSend(session, msg);
        }
        plain = (System.nanoTime() - t0) / 1e6;
      }
    } finally {
      gm.stop();
    }
    // the client alone: the same sends to a scripted peer that does no work
    double scripted;
    try (ScriptedSmtpServer peer = new ScriptedSmtpServer()) {
      SmtpSender sender =
          SmtpSender.create(
              SmtpSettings.builder()
                  .host("127.0.0.1")
                  .port(peer.port())
                  .tls(TlsMode.NONE)
                  .readTimeout(Duration.ofSeconds(10))
                  .build());
      OutboundItem item = TestMessages.item(msg, "a@y.org");
      for (int i = 0; i < 5; i++) {
        sender.send(item, new ByteArrayInputStream(msg), Set.of());
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < SENDS; i++) {
        SendResult r = sender.send(item, new ByteArrayInputStream(msg), Set.of());
        assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
      }
      scripted = (System.nanoTime() - t0) / 1e6;
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d enqueues, %d sends, messages of %d bytes%n"
            + "| measure | total ms | per message ms | ratio |%n"
            + "| --- | --- | --- | --- |%n"
            + "| spool enqueue, no fsync | %.0f | %.2f | 1.00 |%n"
            + "| spool enqueue, fsync (durable) | %.0f | %.2f | %.2f x slower |%n"
            + "| plain Jakarta Mail send to GreenMail | %.0f | %.2f | 1.00 |%n"
            + "| SmtpSender send of a spooled item | %.0f | %.2f | %.2f x throughput of plain |%n"
            + "| SmtpSender send to a scripted peer (client cost) | %.0f | %.2f | %.2f x faster than"
            + " GreenMail |%n",
        MESSAGES,
        SENDS,
        msg.length,
        noSync,
        noSync / MESSAGES,
        sync,
        sync / MESSAGES,
        sync / noSync,
        plain,
        plain / SENDS,
        ours,
        ours / SENDS,
        plain / ours,
        scripted,
        scripted / SENDS,
        ours / scripted);
    assertThat(ours).isPositive();
  }

  private static void send(SmtpSender sender, Spool s, OutboundItem item) throws Exception {
    try (InputStream in = s.openMessage(item.id())) {
      SendResult r = sender.send(item, in, Set.of());
      assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
    }
  }

  private static void plainSend(Session session, byte[] msg) throws Exception {
    MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(msg));
    Transport.send(m, new InternetAddress[] {new InternetAddress("a@y.org")});
  }
}
