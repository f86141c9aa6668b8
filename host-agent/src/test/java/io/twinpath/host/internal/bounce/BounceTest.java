package io.twinpath.host.internal.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BounceTest {
  static final byte[] ORIGINAL =
      ("From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: Grüße\r\n"
              + "Message-ID: <abc@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n"
              + "secret body\r\n")
          .getBytes(StandardCharsets.UTF_8);

  static Bounce.Report report(List<Bounce.Failure> failures, String remote) throws Exception {
    return new Bounce.Report(
        "01JDQ4Z8X3K2M7N9P0QRSTVWXY",
        "alice@example.org",
        "laptop.example.org",
        remote,
        "laptop",
        remote == null,
        Instant.parse("2026-11-26T10:00:00Z"),
        Instant.parse("2026-11-26T10:00:05Z"),
        failures,
        Bounce.headerOf(new ByteArrayInputStream(ORIGINAL)));
  }

  @Test
  void a550BecomesAReadableRfc3464ReportInTheMaildir(@TempDir Path tmp) throws Exception {
    Path maildir = tmp.resolve("Maildir");
    Path file =
        new BounceDelivery(maildir)
            .deliver(
                report(
                    List.of(
                        new Bounce.Failure(
                            "bob@example.org",
                            "550 5.1.1 <bob@example.org>: Recipient address rejected: User"
                                + " unknown",
                            null)),
                    "smtp.example.org"));
    assertThat(file.getParent()).isEqualTo(maildir.resolve("new"));
    try (Stream<Path> s = Files.list(maildir.resolve("new"))) {
      assertThat(s.count()).isEqualTo(1);
    }

    MimeMessage m;
    try (InputStream in = Files.newInputStream(file)) {
      m = new MimeMessage(Session.getInstance(new Properties()), in);
    }
    assertThat(m.getSubject()).isEqualTo("Undelivered mail: Grüße");
    assertThat(m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0].toString())
        .isEqualTo("alice@example.org");
    assertThat(m.getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");
    assertThat(m.getHeader("In-Reply-To")[0]).isEqualTo("<abc@example.org>");
    assertThat(m.getContentType()).startsWith("multipart/report").contains("delivery-status");

    Multipart mp = (Multipart) m.getContent();
    assertThat(mp.getCount()).isEqualTo(3);
    Part text = mp.getBodyPart(0);
    assertThat(text.isMimeType("text/plain")).isTrue();
    String readable = (String) text.getContent();
    assertThat(readable)
        .contains("could not be delivered to this recipient")
        .contains("bob@example.org")
        .contains("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
        .contains("smtp.example.org")
        .contains("Grüße")
        .contains("01JDQ4Z8X3K2M7N9P0QRSTVWXY");

    Part dsn = mp.getBodyPart(1);
    assertThat(dsn.getContentType()).startsWith("message/delivery-status");
    String fields = new String(dsn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(fields)
        .contains("Reporting-MTA: dns; laptop.example.org")
        .contains("Final-Recipient: rfc822; bob@example.org")
        .contains("Action: failed")
        .contains("Status: 5.1.1")
        .contains("Remote-MTA: dns; smtp.example.org")
        .contains("Diagnostic-Code: smtp; 550 5.1.1");

    Part headers = mp.getBodyPart(2);
    assertThat(headers.getContentType()).startsWith("text/rfc822-headers");
    String original = new String(headers.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(original).contains("Message-ID: <abc@example.org>").doesNotContain("secret body");
  }

  @Test
  void theStatusComesFromTheReplyOrItsClass() {
    assertThat(new Bounce.Failure("a@b.c", "550 5.7.1 relay denied", null).statusCode())
        .isEqualTo("5.7.1");
    assertThat(new Bounce.Failure("a@b.c", "554 Transaction failed", null).statusCode())
        .isEqualTo("5.0.0");
    assertThat(new Bounce.Failure("a@b.c", "expired after 5 days", "4.4.7").statusCode())
        .isEqualTo("4.4.7");
  }

  @Test
  void severalRecipientsAndExpiryWithoutAServer(@TempDir Path tmp) throws Exception {
    byte[] b =
        Bounce.build(
            report(
                List.of(
                    new Bounce.Failure("bob@example.org", "not sent within 5d", "4.4.7"),
                    new Bounce.Failure("eve@example.org", "not sent within 5d", "4.4.7")),
                null));
    MimeMessage m =
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(b));
    Multipart mp = (Multipart) m.getContent();
    String fields =
        new String(mp.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(fields.split("Final-Recipient").length - 1).isEqualTo(2);
    assertThat(fields).contains("Status: 4.4.7").doesNotContain("Remote-MTA");
    assertThat((String) mp.getBodyPart(0).getContent()).contains("expired");
  }
}
