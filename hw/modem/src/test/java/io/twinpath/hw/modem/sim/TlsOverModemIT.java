package io.twinpath.hw.modem.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.testing.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS done in Java over a socket through the modem: {@code SSLSocketFactory.createSocket(socket,
 * host, port, true)} with certificate and host name validation, against a TLS echo server whose
 * certificate keytool makes for this test.
 */
class TlsOverModemIT {
  private static final char[] PASS = "changeit".toCharArray();
  @TempDir static Path keys;
  private static SSLContext server;
  private static SSLContext trusting;
  private static SSLContext trustingNothing;

  @BeforeAll
  static void certificates() throws Exception {
    Path store = keys.resolve("server.p12");
    TestCertificates.keyPair(store, PASS, "echo", "localhost", "dns:localhost,ip:127.0.0.1");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASS);
    server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    trusting = clientContext(store); // its certificate is the only trust anchor
    Path other = keys.resolve("other.p12");
    TestCertificates.keyPair(other, PASS, "other", "localhost", "dns:localhost");
    trustingNothing = clientContext(other); // trusts another certificate only
  }

  private static SSLContext clientContext(Path trustStore) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trustStore)) {
      ts.load(in, PASS);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, tmf.getTrustManagers(), null);
    return c;
  }

  /** A TLS echo server on loopback: one line back per line, until the peer closes. */
  private static SSLServerSocket echoServer() throws Exception {
    SSLServerSocket ss =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                  InputStream in = s.getInputStream();
                  OutputStream out = s.getOutputStream();
                  byte[] buf = new byte[4096];
                  int n;
                  while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                  }
                } catch (Exception e) {
                  // next client
                }
              }
            },
            "tls-echo");
    t.setDaemon(true);
    t.start();
    return ss;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ModemDialect.class)
  void tlsOverTheModemValidatesTheCertificateAndCarriesData(ModemDialect d) throws Exception {
    try (SSLServerSocket ss = echoServer();
        SimModem m = SimModem.start(d, false)) {
      m.modem.bringUp();
      int port = ss.getLocalPort();
      Socket plain = m.modem.socketFactory().createSocket("127.0.0.1", port);
      try (SSLSocket tls =
          (SSLSocket) trusting.getSocketFactory().createSocket(plain, "localhost", port, true)) {
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // check the host name too
        tls.setSSLParameters(p);
        tls.setSoTimeout(20_000);
        tls.startHandshake();
        byte[] msg = "EHLO over cellular\r\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        tls.getOutputStream().write(msg);
        tls.getOutputStream().flush();
        assertThat(tls.getInputStream().readNBytes(msg.length)).isEqualTo(msg);
        assertThat(tls.getSession().getPeerPrincipal().getName()).isEqualTo("CN=localhost");
      }
      Socket plain2 = m.modem.socketFactory().createSocket("127.0.0.1", port);
      try (SSLSocket untrusted =
          (SSLSocket)
              trustingNothing.getSocketFactory().createSocket(plain2, "localhost", port, true)) {
        untrusted.setSoTimeout(20_000);
        assertThatThrownBy(untrusted::startHandshake).isInstanceOf(SSLHandshakeException.class);
      }
    }
  }
}
