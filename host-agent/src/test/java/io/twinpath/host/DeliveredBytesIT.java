package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SendResult;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.spool.Spool;
import io.twinpath.host.internal.SmtpPath;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.testing.HostFixture;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What sendmail queues is what the SMTP server receives: the same bytes, apart from Message-ID and
 * Date added when missing. Sent over this laptop's path ({@code account} in host.conf) to
 * GreenMail.
 */
class DeliveredBytesIT {
  GreenMail greenMail;

  @BeforeEach
  void start() {
    ServerSetup setup = ServerSetupTest.SMTP.dynamicPort();
    greenMail = new GreenMail(setup);
    greenMail.start();
  }

  @AfterEach
  void stop() {
    greenMail.stop();
  }

  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of(
            "with Message-ID and Date: not a byte changes",
            "From: alice@example.org\nTo: bob@example.org\nSubject: plain\n"
                + "Message-ID: <fixed@example.org>\nDate: Thu, 26 Nov 2026 10:00:00 +0000\n\n"
                + "body\n.\n..two\n"),
        Arguments.of(
            "8-bit UTF-8 header and body, no Message-ID or Date",
            "From: Jörg <alice@example.org>\nTo: Zoë <bob@example.org>\nSubject: Grüße ✓\n"
                + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                + "Körper mit Umlauten\n.\nnach dem Punkt\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void theServerReceivesTheQueuedBytes(String name, String input, @TempDir Path home)
      throws Exception {
    HostFixture host =
        new HostFixture(
            home,
            "account local\nhost 127.0.0.1\nport "
                + greenMail.getSmtp().getPort()
                + "\ntls off\nfrom alice@example.org\n",
            "");
    HostFixture.Result r = host.run(input, "sendmail", "-i", "-t");
    assertThat(r.exit()).as(r.err()).isZero();

    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    SmtpSender sender = SmtpPath.sender(config.account(), "laptop.example.org");
    byte[] queued;
    SendResult result;
    try (Spool spool = Spool.open(host.spoolDir())) {
      OutboundItem item = spool.list().get(0);
      try (InputStream in = spool.openMessage(item.id())) {
        queued = in.readAllBytes();
      }
      try (InputStream in = spool.openMessage(item.id())) {
        result = sender.send(item, in, Set.of());
      }
    }
    assertThat(result.outcome()).as(result.toString()).isEqualTo(SendResult.Outcome.DELIVERED);

    String expected = input.replace("\n", "\r\n");
    String stored = new String(queued, StandardCharsets.UTF_8);
    if (input.contains("Message-ID")) {
      assertThat(stored).isEqualTo(expected);
    } else {
      // identical apart from the Date and Message-ID added at the end of the header
      String withoutAdded = stored.replaceFirst("Date: [^\r\n]+\r\nMessage-ID: <[^>]+>\r\n", "");
      assertThat(withoutAdded).isEqualTo(expected);
    }

    MimeMessage[] received = greenMail.getReceivedMessages();
    assertThat(received).hasSize(1);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    received[0].writeTo(raw);
    // the server adds its own trace field(s) on top, and keeps the data without the CRLF that
    // belongs to the final "CRLF . CRLF"; everything in between is the queued bytes
    String wire = raw.toString(StandardCharsets.UTF_8);
    String fromHere = wire.substring(wire.indexOf("From: "));
    assertThat(fromHere + "\r\n").isEqualTo(stored);
  }
}
