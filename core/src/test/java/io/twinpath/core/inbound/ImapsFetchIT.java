package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.testing.TestCertificates;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMAP over implicit TLS against a GreenMail IMAPS server whose certificate (for 127.0.0.1) is made
 * here: trusted through a trust store it works, with the JDK's authorities it is refused.
 */
class ImapsFetchIT {
  private static Path trust;
  private static GreenMail server;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    trust = TestCertificates.greenMailTrustStore();
    server = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.IMAPS}));
    server.start();
    GreenMailUser user = server.setUser("bob@example.org", "bob", "secret");
    byte[] raw =
        ("From: a@example.org\r\nTo: bob@example.org\r\nSubject: over TLS\r\n"
                + "Message-ID: <tls-1@example.org>\r\n\r\nhello\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    user.deliver(
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private FetchSettings.Builder imaps() {
    return FetchSettings.builder()
        .protocol(FetchSettings.Protocol.IMAPS)
        .host("127.0.0.1")
        .port(server.getImaps().getServerSetup().getPort())
        .username("bob")
        .password("secret"::toCharArray)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10));
  }

  @Test
  void aTrustedCertificateForTheHostIsAccepted() throws Exception {
    InboundStore store = InboundStore.open(dir, 1_000_000);
    MailFetcher f =
        new MailFetcher(
            imaps().trustStore(trust, TestCertificates.TRUST_PASSWORD.toCharArray()).build(),
            InboundSink.holding(store));
    MailFetcher.Report r = f.fetchOnce();
    assertThat(r.stored()).isEqualTo(1);
    assertThat(store.knows(InboundId.forMessageId("<tls-1@example.org>").orElseThrow())).isTrue();
    store.close();
  }

  @Test
  void anUntrustedCertificateIsRefused() throws Exception {
    InboundStore store = InboundStore.open(dir, 1_000_000);
    MailFetcher f = new MailFetcher(imaps().build(), InboundSink.holding(store));
    assertThatThrownBy(f::fetchOnce).isInstanceOf(MessagingException.class);
    assertThat(store.ids().size()).isZero();
    store.close();
  }
}
