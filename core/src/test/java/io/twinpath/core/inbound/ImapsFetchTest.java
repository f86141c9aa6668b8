package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMAP over implicit TLS against a GreenMail IMAPS server whose certificate (for 127.0.0.1) is made
 * here: trusted through a trust store it works, with the JDK's authorities it is refused.
 */
class ImapsFetchTest {
  private static final char[] PASS = "keypass".toCharArray();
  @TempDir static Path keys;
  private static Path trust;
  private static GreenMail server;

  @TempDir Path dir;

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  @BeforeAll
  static void start() throws Exception {
    Path store = keys.resolve("imap-server.p12");
    keytool(
        "-genkeypair",
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        new String(PASS),
        "-alias",
        "imap",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2");
    KeyStore ks = KeyStore.getInstance(store.toFile(), PASS);
    KeyStore t = KeyStore.getInstance("PKCS12");
    t.load(null, null);
    t.setCertificateEntry("imap", ks.getCertificate("imap"));
    trust = keys.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(trust)) {
      t.store(out, "trustpw".toCharArray());
    }
    // GreenMail reads these when it makes its TLS server sockets; cleared after the class
    System.setProperty("greenmail.tls.keystore.file", store.toString());
    System.setProperty("greenmail.tls.keystore.password", new String(PASS));
    System.setProperty("greenmail.tls.key.password", new String(PASS));
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
    System.clearProperty("greenmail.tls.keystore.file");
    System.clearProperty("greenmail.tls.keystore.password");
    System.clearProperty("greenmail.tls.key.password");
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
            imaps().trustStore(trust, "trustpw".toCharArray()).build(), InboundSink.holding(store));
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
