package io.twinpath.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.core.inbound.MailFetcher;
import io.twinpath.dongle.DongleConfig;
import io.twinpath.secondary.InboundConfig;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inbound.tls = starttls} against the lab's Dovecot over the cellular route: the dongle's
 * configuration yields plain IMAP and POP3 on ports 143 and 110 upgraded with STARTTLS, the
 * server's certificate is checked against the configured trust store, and the mail is fetched; a
 * trust store that does not hold the server's authority is refused.
 */
class DovecotStarttlsIT {
  private static MailLab lab;

  @TempDir Path dir;

  @BeforeAll
  static void up() {
    lab = MailLab.up();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  /** Delivers into alice's Maildir the way Postfix's virtual agent does (tmp/, then new/). */
  private static void deliver(String subject) throws IOException {
    Path mail = lab.directory().resolve("mail");
    Path box = mail.resolve(lab.get("MAIL_DOMAIN")).resolve("alice");
    for (String sub : new String[] {"tmp", "new", "cur"}) {
      Files.createDirectories(box.resolve(sub));
    }
    // the mailboxes belong to the user Dovecot serves them as
    for (Path p = box; p.startsWith(mail) && !p.equals(mail); p = p.getParent()) {
      ownLikeMail(mail, p);
    }
    for (String sub : new String[] {"tmp", "new", "cur"}) {
      ownLikeMail(mail, box.resolve(sub));
    }
    String raw =
        "From: bob@twinpath.test\r\nTo: alice@twinpath.test\r\nSubject: "
            + subject
            + "\r\nMessage-ID: <"
            + subject
            + "-"
            + System.nanoTime()
            + "@twinpath.test>\r\n\r\nbody\r\n";
    String name = System.currentTimeMillis() / 1000 + "." + subject + ".lab";
    Path tmp = box.resolve("tmp").resolve(name);
    Files.writeString(tmp, raw, StandardCharsets.US_ASCII);
    ownLikeMail(mail, tmp);
    Files.move(tmp, box.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void ownLikeMail(Path mail, Path p) throws IOException {
    java.nio.file.attribute.PosixFileAttributes a =
        Files.readAttributes(mail, java.nio.file.attribute.PosixFileAttributes.class);
    java.nio.file.attribute.PosixFileAttributeView v =
        Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class);
    v.setOwner(a.owner());
    v.setGroup(a.group());
  }

  /** The lab's CA certificate (PEM) in a PKCS12 trust store. */
  private Path trustStore(Path pem, String name) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, "changeit".toCharArray());
    }
    return file;
  }

  private InboundConfig configured(String protocol, Path trustStore) {
    Map<String, String> v = new HashMap<>();
    v.put("inbound.protocol", protocol);
    v.put("inbound.tls", "starttls");
    v.put("inbound.host", lab.mailFromCell());
    v.put("inbound.username", "alice@" + lab.get("MAIL_DOMAIN"));
    v.put("inbound.password", "secret");
    v.put("inbound.truststore", trustStore.toString());
    v.put("inbound.truststore-password", "changeit");
    return DongleConfig.fromMap(v, Map.of("HOME", dir.toString())).inbound().orElseThrow();
  }

  private int fetch(FetchSettings s, String store) throws Exception {
    InboundStore held = InboundStore.open(dir.resolve(store), 16L << 20);
    try {
      return new MailFetcher(s, InboundSink.holding(held)).fetchOnce().stored();
    } finally {
      held.close();
    }
  }

  @Test
  void imapAndPop3UpgradeWithStarttlsAndCheckTheCertificate() throws Exception {
    Path trusted = trustStore(lab.caCertificate(), "lab-ca.p12");
    deliver("starttls-imap");

    FetchSettings imap = configured("imap", trusted).fetch().build();
    assertThat(imap.protocol()).isEqualTo(FetchSettings.Protocol.IMAP);
    assertThat(imap.port()).isEqualTo(143);
    assertThat(imap.starttls()).isTrue();
    assertThat(fetch(imap, "imap")).isGreaterThanOrEqualTo(1);

    FetchSettings pop3 = configured("pop3", trusted).fetch().build();
    assertThat(pop3.port()).isEqualTo(110);
    assertThat(fetch(pop3, "pop3")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aServerCertificateFromAnUntrustedAuthorityIsRefused() throws Exception {
    // another authority: nothing the server presents chains to it
    Path otherCa = dir.resolve("other-ca.pem");
    MailLab.exec(
        java.util.List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=Another CA",
            "-keyout",
            dir.resolve("other-ca.key").toString(),
            "-out",
            otherCa.toString()));
    Path other = trustStore(otherCa, "other-ca.p12");
    FetchSettings imap = configured("imap", other).fetch().build();
    assertThatThrownBy(() -> fetch(imap, "refused")).isInstanceOf(MessagingException.class);
  }
}
