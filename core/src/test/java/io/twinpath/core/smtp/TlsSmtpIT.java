package io.twinpath.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SendResult.Outcome;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import io.twinpath.testing.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS and implicit TLS against the scripted peer with a self-signed certificate made by
 * keytool for this test: trusted through a custom trust store, refused without it, and refused for
 * a certificate with another host name.
 */
class TlsSmtpIT {
  private static final char[] PASS = "changeit".toCharArray();
  @TempDir static Path keys;
  private static SSLContext localhostCert;
  private static SSLContext otherNameCert;
  private static Path trustLocalhost;
  private static Path trustOther;

  private ScriptedSmtpServer server;
  private byte[] bytes;

  @BeforeAll
  static void makeCertificates() throws Exception {
    localhostCert = serverContext("localhost", "dns:localhost,ip:127.0.0.1");
    trustLocalhost = trustStoreFor("localhost");
    otherNameCert = serverContext("other", "dns:smtp.other.example");
    trustOther = trustStoreFor("other");
  }

  private static SSLContext serverContext(String name, String san) throws Exception {
    Path store = keys.resolve(name + "-server.p12");
    TestCertificates.keyPair(store, PASS, "smtp", name, san);
    KeyStore ks = KeyStore.getInstance(store.toFile(), PASS);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASS);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** A PKCS12 trust store holding just the certificate of the named server key store. */
  private static Path trustStoreFor(String name) throws Exception {
    return TestCertificates.trustStore(
        keys.resolve(name + "-server.p12"),
        PASS,
        "smtp",
        keys.resolve(name + "-trust.p12"),
        "trustpw".toCharArray());
  }

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedSmtpServer();
    server.script.tls = localhostCert;
    server.script.user = "me@x.org";
    server.script.password = "s3cret";
    bytes = TestMessages.tricky();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private SmtpSettings.Builder settings(TlsMode mode) {
    return SmtpSettings.builder()
        .host("localhost")
        .port(server.port())
        .tls(mode)
        .credentials("me@x.org", "s3cret"::toCharArray)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(5));
  }

  private SendResult send(SmtpSettings s) {
    OutboundItem item = TestMessages.item(bytes, "a@y.org");
    return SmtpSender.create(s).send(item, new ByteArrayInputStream(bytes), Set.of());
  }

  @Test
  void startTlsWithATrustedSelfSignedCertificate() {
    server.script.offerStartTls = true;
    SendResult r =
        send(
            settings(TlsMode.STARTTLS).trustStore(trustLocalhost, "trustpw".toCharArray()).build());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.DELIVERED);
    assertThat(server.commands)
        .containsSubsequence(
            "STARTTLS", "AUTH", "MAIL FROM:<me@x.org> SIZE=" + bytes.length + " BODY=8BITMIME");
    assertThat(server.commands.indexOf("STARTTLS")).isLessThan(server.commands.indexOf("AUTH"));
    assertThat(server.messages).containsExactly(bytes);
  }

  @Test
  void startTlsIsRefusedWhenTheCertificateIsNotTrusted() {
    server.script.offerStartTls = true;
    SendResult r = send(settings(TlsMode.STARTTLS).build()); // JDK trust: self-signed is unknown
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.stage()).isEqualTo(SmtpStage.STARTTLS);
    assertThat(r.reason()).contains("certificate");
    assertThat(server.commands).doesNotContain("AUTH").noneMatch(c -> c.startsWith("MAIL"));
  }

  @Test
  void startTlsIsRefusedWhenTheCertificateNamesAnotherHost() {
    server.script.offerStartTls = true;
    server.script.tls = otherNameCert;
    SendResult r =
        send(settings(TlsMode.STARTTLS).trustStore(trustOther, "trustpw".toCharArray()).build());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.stage()).isEqualTo(SmtpStage.STARTTLS);
    assertThat(server.commands).doesNotContain("AUTH");
  }

  @Test
  void aServerWithoutStartTlsGetsNoCredentialsAndNoMessage() {
    server.script.offerStartTls = false;
    SendResult r =
        send(
            settings(TlsMode.STARTTLS).trustStore(trustLocalhost, "trustpw".toCharArray()).build());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.reason()).contains("did not offer STARTTLS");
    assertThat(server.commands).doesNotContain("AUTH").noneMatch(c -> c.startsWith("MAIL"));
  }

  @Test
  void implicitTlsWithATrustedCertificate() {
    server.script.implicitTls = true;
    SendResult r =
        send(
            settings(TlsMode.IMPLICIT).trustStore(trustLocalhost, "trustpw".toCharArray()).build());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.DELIVERED);
    assertThat(server.commands).doesNotContain("STARTTLS").contains("AUTH");
    assertThat(server.messages).containsExactly(bytes);
  }

  @Test
  void implicitTlsIsRefusedWhenTheCertificateIsNotTrusted() {
    server.script.implicitTls = true;
    SendResult r = send(settings(TlsMode.IMPLICIT).build());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.stage()).isEqualTo(SmtpStage.TLS);
    assertThat(r.reason()).contains("certificate");
    assertThat(server.commands).isEmpty();
  }

  @Test
  void wrongCredentialsArePermanent() {
    server.script.offerStartTls = true;
    SendResult r =
        send(
            SmtpSettings.builder()
                .host("localhost")
                .port(server.port())
                .credentials("me@x.org", "wrong"::toCharArray)
                .trustStore(trustLocalhost, "trustpw".toCharArray())
                .readTimeout(Duration.ofSeconds(5))
                .build());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PERMANENT);
    assertThat(r.stage()).isEqualTo(SmtpStage.AUTH);
    assertThat(r.replyCode()).isEqualTo(535);
    assertThat(r.serverReply()).contains("credentials invalid");
  }

  @Test
  void aTrustStoreThatCannotBeReadIsRefusedWhenBuilding() throws IOException {
    Path junk = keys.resolve("junk.p12");
    Files.writeString(junk, "not a key store");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> settings(TlsMode.STARTTLS).trustStore(junk, PASS).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("smtp.trustStore '" + junk + "'");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                settings(TlsMode.STARTTLS)
                    .trustStore(trustLocalhost, "wrong".toCharArray())
                    .build())
        .hasMessageContaining("with the given password");
  }
}
