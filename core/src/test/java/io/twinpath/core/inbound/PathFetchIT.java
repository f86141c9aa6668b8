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
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch takes the path it is given: a path's socket factory (as the modem's: it is handed the
 * server's name and makes the TCP connection itself) with TLS layered in Java over its sockets and
 * the certificate checked for the configured name; no silent fallback to the default route; a local
 * bind address. GreenMail IMAPS and IMAP in this JVM, with a certificate made here for 127.0.0.1
 * and localhost.
 */
class PathFetchIT {
  private static Path trust;
  private static GreenMail server;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    trust = TestCertificates.greenMailTrustStore();
    server =
        new GreenMail(
            ServerSetup.dynamicPort(
                new ServerSetup[] {ServerSetupTest.IMAPS, ServerSetupTest.IMAP}));
    server.start();
    GreenMailUser user = server.setUser("bob@example.org", "bob", "secret");
    byte[] raw =
        ("From: a@example.org\r\nTo: bob@example.org\r\nSubject: over the path\r\n"
                + "Message-ID: <path-1@example.org>\r\n\r\nhello over the path\r\n")
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

  /**
   * A path like the modem: whatever name or address it is asked for, it connects to one server
   * itself (here GreenMail on loopback), counts what the client sends and keeps its first bytes.
   */
  static final class PathSockets extends SocketFactory {
    final int port;
    final AtomicInteger connections = new AtomicInteger();
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    volatile boolean cut;

    PathSockets(int port) {
      this.port = port;
    }

    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
          if (cut) {
            throw new java.net.ConnectException("the path is cut");
          }
          connections.incrementAndGet();
          super.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeout);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
          return new FilterOutputStream(super.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              synchronized (sent) {
                sent.write(b, off, len);
              }
              out.write(b, off, len);
            }
          };
        }
      };
    }

    @Override
    public Socket createSocket(String host, int p) {
      throw new UnsupportedOperationException("the fetch asks for unconnected sockets");
    }

    @Override
    public Socket createSocket(String host, int p, InetAddress l, int lp) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int p) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int p, InetAddress l, int lp) {
      throw new UnsupportedOperationException();
    }

    byte[] sent() {
      synchronized (sent) {
        return sent.toByteArray();
      }
    }
  }

  private FetchSettings.Builder imaps(String host) {
    return FetchSettings.builder()
        .protocol(FetchSettings.Protocol.IMAPS)
        .host(host)
        .port(server.getImaps().getServerSetup().getPort())
        .username("bob")
        .password("secret"::toCharArray)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10));
  }

  @Test
  void implicitTlsRunsInJavaOverThePathsSocketWithTheNameChecked() throws Exception {
    PathSockets path = new PathSockets(server.getImaps().getServerSetup().getPort());
    InboundStore store = InboundStore.open(dir, 1_000_000);
    // a name this machine cannot resolve: only the path knows where it goes
    FetchSettings s =
        imaps("mail.twinpath.invalid")
            .trustStore(trust, TestCertificates.TRUST_PASSWORD.toCharArray())
            .socketFactory(path)
            .build();
    MailFetcher.Report r = new MailFetcher(s, InboundSink.holding(store)).fetchOnce();
    assertThat(r.stored()).isEqualTo(1);
    assertThat(store.knows(InboundId.forMessageId("<path-1@example.org>").orElseThrow())).isTrue();
    assertThat(path.connections.get()).isEqualTo(1);
    byte[] sent = path.sent();
    assertThat(sent.length).isGreaterThan(100);
    assertThat(sent[0]).as("a TLS handshake record first").isEqualTo((byte) 0x16);
    assertThat(new String(sent, StandardCharsets.ISO_8859_1))
        .as("nothing in clear text on the path")
        .doesNotContain("LOGIN")
        .doesNotContain("secret");
    store.close();
  }

  @Test
  void overThePathTheCertificateMustBeTrustedAndForTheConfiguredName() throws Exception {
    PathSockets path = new PathSockets(server.getImaps().getServerSetup().getPort());
    InboundStore store = InboundStore.open(dir, 1_000_000);
    MailFetcher untrusted =
        new MailFetcher(imaps("localhost").socketFactory(path).build(), InboundSink.holding(store));
    assertThatThrownBy(untrusted::fetchOnce).isInstanceOf(MessagingException.class);
    // trusted, but the server is configured under a name its certificate is not for
    MailFetcher wrongName =
        new MailFetcher(
            imaps("imap.example.org")
                .trustStore(trust, TestCertificates.TRUST_PASSWORD.toCharArray())
                .socketFactory(path)
                .build(),
            InboundSink.holding(store));
    assertThatThrownBy(wrongName::fetchOnce)
        .isInstanceOf(MessagingException.class)
        .hasStackTraceContaining("imap.example.org");
    assertThat(path.connections.get()).as("both went over the path").isEqualTo(2);
    assertThat(store.ids().size()).isZero();
    store.close();
  }

  @Test
  void aCutPathFailsTheFetchInsteadOfTakingTheDefaultRoute() throws Exception {
    PathSockets path = new PathSockets(server.getImaps().getServerSetup().getPort());
    path.cut = true;
    InboundStore store = InboundStore.open(dir, 1_000_000);
    // 127.0.0.1 is reachable on the default route: a fallback would fetch the message
    MailFetcher f =
        new MailFetcher(
            imaps("127.0.0.1")
                .trustStore(trust, TestCertificates.TRUST_PASSWORD.toCharArray())
                .socketFactory(path)
                .build(),
            InboundSink.holding(store));
    assertThatThrownBy(f::fetchOnce)
        .isInstanceOf(MessagingException.class)
        .hasStackTraceContaining("the path is cut");
    assertThat(store.ids().size()).isZero();

    // plain IMAP over the path: the path's socket is used as it is, and no fallback either
    FetchSettings plain =
        FetchSettings.builder()
            .protocol(FetchSettings.Protocol.IMAP)
            .host("127.0.0.1")
            .port(server.getImap().getServerSetup().getPort())
            .username("bob")
            .password("secret"::toCharArray)
            .socketFactory(path)
            .build();
    assertThatThrownBy(new MailFetcher(plain, InboundSink.holding(store))::fetchOnce)
        .isInstanceOf(MessagingException.class);
    path.cut = false;
    PathSockets plainPath = new PathSockets(server.getImap().getServerSetup().getPort());
    FetchSettings plainOk =
        FetchSettings.builder()
            .protocol(FetchSettings.Protocol.IMAP)
            .host("127.0.0.1")
            .port(server.getImap().getServerSetup().getPort())
            .username("bob")
            .password("secret"::toCharArray)
            .socketFactory(plainPath)
            .build();
    assertThat(new MailFetcher(plainOk, InboundSink.holding(store)).fetchOnce().stored())
        .isEqualTo(1);
    assertThat(new String(plainPath.sent(), StandardCharsets.ISO_8859_1)).contains("LOGIN");
    store.close();
  }

  @Test
  void theConnectionIsBoundToTheLocalAddress() throws Exception {
    InboundStore store = InboundStore.open(dir, 1_000_000);
    FetchSettings.Builder b =
        FetchSettings.builder()
            .protocol(FetchSettings.Protocol.IMAPS)
            .host("127.0.0.1")
            .port(server.getImaps().getServerSetup().getPort())
            .username("bob")
            .password("secret"::toCharArray)
            .trustStore(trust, TestCertificates.TRUST_PASSWORD.toCharArray())
            .connectTimeout(Duration.ofSeconds(5));
    // an address of this machine's loopback network works
    FetchSettings here = b.localAddress(InetAddress.getByName("127.0.0.2")).build();
    assertThat(MailFetcher.properties(here).getProperty("mail.imaps.localaddress"))
        .isEqualTo("127.0.0.2");
    assertThat(here.toString()).contains("bound to 127.0.0.2");
    assertThat(new MailFetcher(here, InboundSink.holding(store)).fetchOnce().stored()).isEqualTo(1);
    // an address this machine does not have cannot be bound: the fetch fails
    FetchSettings elsewhere = b.localAddress(InetAddress.getByName("192.0.2.77")).build();
    assertThatThrownBy(new MailFetcher(elsewhere, InboundSink.holding(store))::fetchOnce)
        .isInstanceOf(MessagingException.class)
        .hasStackTraceContaining("assign");
    store.close();
  }

  @Test
  void starttlsIsRequiredAndCheckedWhenAsked() {
    FetchSettings s =
        FetchSettings.builder()
            .protocol("pop3")
            .host("mail.example.org")
            .username("bob")
            .starttls(true)
            .socketFactory(new PathSockets(1))
            .build();
    assertThat(MailFetcher.storeName(s)).isEqualTo("pop3");
    Properties p = MailFetcher.properties(s);
    assertThat(p.getProperty("mail.pop3.starttls.enable")).isEqualTo("true");
    assertThat(p.getProperty("mail.pop3.starttls.required")).isEqualTo("true");
    assertThat(p.getProperty("mail.pop3.ssl.checkserveridentity")).isEqualTo("true");
    assertThat(p.get("mail.pop3.ssl.socketFactory"))
        .isInstanceOf(javax.net.ssl.SSLSocketFactory.class);
    assertThat(p.get("mail.pop3.socketFactory")).isInstanceOf(PathSockets.class);
    assertThat(p.getProperty("mail.pop3.socketFactory.fallback")).isEqualTo("false");
    assertThat(s.toString()).contains("(starttls)");
    assertThatThrownBy(
            () ->
                FetchSettings.builder()
                    .protocol("imaps")
                    .host("mail.example.org")
                    .username("bob")
                    .starttls(true)
                    .build())
        .hasMessageContaining("inbound.starttls")
        .hasMessageContaining("imaps uses TLS from the first byte");
  }
}
