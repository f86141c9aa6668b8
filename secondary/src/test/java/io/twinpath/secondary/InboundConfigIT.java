package io.twinpath.secondary;

import static io.twinpath.secondary.InboundConfigTest.imap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.core.inbound.MailFetcher;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shared {@code inbound.*} settings against a real IMAP server: STARTTLS refused. */
class InboundConfigIT {
  @RegisterExtension
  static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

  @TempDir Path dir;

  @Test
  void starttlsRequiredAgainstAServerWithoutItFailsClearlyAndLogsNothingIn() throws Exception {
    com.icegreen.greenmail.user.GreenMailUser user =
        mail.setUser("bob@example.org", "bob", "secret");
    jakarta.mail.internet.MimeMessage m =
        new jakarta.mail.internet.MimeMessage(
            jakarta.mail.Session.getInstance(new java.util.Properties()));
    m.setFrom("alice@example.org");
    m.setRecipients(jakarta.mail.Message.RecipientType.TO, "bob@example.org");
    m.setSubject("hello");
    m.setText("hi");
    m.setHeader("Message-ID", "<starttls-1@example.org>");
    user.deliver(m);
    InboundConfig c =
        imap()
            .host("127.0.0.1")
            .port(mail.getImap().getServerSetup().getPort())
            .tls("starttls")
            .password("secret"::toCharArray)
            .build(256L << 20);
    InboundStore store = InboundStore.open(dir.resolve("inbound"), 1L << 20);
    try {
      MailFetcher f = new MailFetcher(c.fetch().build(), InboundSink.holding(store));
      assertThatThrownBy(f::fetchOnce)
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("STARTTLS");
      assertThat(store.held()).isEmpty();
    } finally {
      store.close();
    }
    // the same server with inbound.tls = none is reachable: the refusal was STARTTLS, not the port
    InboundConfig plain =
        imap()
            .host("127.0.0.1")
            .port(mail.getImap().getServerSetup().getPort())
            .tls("none")
            .password("secret"::toCharArray)
            .build(256L << 20);
    InboundStore clear = InboundStore.open(dir.resolve("plain"), 1L << 20);
    try {
      assertThat(
              new MailFetcher(plain.fetch().build(), InboundSink.holding(clear))
                  .fetchOnce()
                  .stored())
          .isEqualTo(1);
    } finally {
      clear.close();
    }
  }
}
