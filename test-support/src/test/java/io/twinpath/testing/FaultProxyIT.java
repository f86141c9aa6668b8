package io.twinpath.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyIT {
  private ServerSocket upstream;
  private FaultProxy proxy;
  private final AtomicReference<String> received = new AtomicReference<>("");
  private final CountDownLatch dotReceived = new CountDownLatch(1);

  /** Upstream: echoes bytes, except that an SMTP-like "DATA" session is answered with 250. */
  @BeforeEach
  void startUpstream() throws IOException {
    upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!upstream.isClosed()) {
                try {
                  Socket s = upstream.accept();
                  Thread h = new Thread(() -> serve(s));
                  h.setDaemon(true);
                  h.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    proxy = FaultProxy.to("127.0.0.1", upstream.getLocalPort());
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      byte[] buf = new byte[1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        seen.write(buf, 0, n);
        String all = seen.toString(StandardCharsets.US_ASCII);
        received.set(all);
        if (all.startsWith("DATA")) {
          if (all.endsWith("\r\n.\r\n")) {
            dotReceived.countDown();
            out.write("250 2.0.0 queued\r\n".getBytes(StandardCharsets.US_ASCII));
          }
        } else {
          out.write(buf, 0, n);
        }
        out.flush();
      }
    } catch (IOException ignored) {
      // client went away
    }
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    upstream.close();
  }

  private Socket connect(int timeoutMillis) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
    s.setSoTimeout(5000);
    return s;
  }

  private static String readExactly(Socket s, int n) throws IOException {
    return new String(s.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
  }

  @Test
  void passesBytesBothWays() throws IOException {
    try (Socket s = connect(1000)) {
      s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      assertThat(readExactly(s, 5)).isEqualTo("hello");
    }
    assertThat(proxy.bytesUpstream()).isEqualTo(5);
    assertThat(proxy.bytesDownstream()).isEqualTo(5);
    assertThat(proxy.connections()).isEqualTo(1);
  }

  @Test
  void refusedConnectFailsAtOnceAndRecoversOnTheSamePort() throws IOException {
    proxy.set(Fault.refuse());
    assertThatThrownBy(() -> connect(1000)).isInstanceOf(ConnectException.class);

    proxy.set(Fault.none());
    try (Socket s = connect(1000)) {
      s.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
      assertThat(readExactly(s, 1)).isEqualTo("x");
    }
  }

  @Test
  void blackHoledConnectTimesOut() throws IOException {
    proxy.set(Fault.blackHole());
    assertThatThrownBy(() -> connect(400)).isInstanceOf(SocketTimeoutException.class);

    proxy.set(Fault.none());
    try (Socket s = connect(2000)) {
      s.getOutputStream().write("y".getBytes(StandardCharsets.US_ASCII));
      assertThat(readExactly(s, 1)).isEqualTo("y");
    }
  }

  @Test
  void silentPeerAcceptsButNeverAnswers() throws IOException {
    proxy.set(Fault.silent());
    try (Socket s = connect(1000)) {
      s.setSoTimeout(300);
      s.getOutputStream().write("EHLO me\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(proxy.bytesUpstream()).isZero();
  }

  @Test
  void resetAfterBytesDeliversExactlyThatManyThenResets() throws IOException {
    proxy.set(Fault.resetAfterBytes(4));
    try (Socket s = connect(1000)) {
      s.getOutputStream().write("abcdefgh".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      assertThatThrownBy(
              () -> {
                int b;
                while ((b = in.read()) >= 0) {
                  got.write(b);
                }
                throw new IOException("orderly end of stream instead of a reset");
              })
          .isInstanceOf(IOException.class)
          .hasMessageContaining("reset");
      assertThat(got.size()).isZero();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> received.get().equals("abcd"));
    assertThat(proxy.bytesUpstream()).isEqualTo(4);
  }

  @Test
  void delayHoldsEachChunkBack() throws IOException {
    proxy.set(Fault.delay(Duration.ofMillis(1500)));
    try (Socket s = connect(1000)) {
      s.setSoTimeout(200);
      s.getOutputStream().write("z".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      s.setSoTimeout(10_000);
      assertThat(readExactly(s, 1)).isEqualTo("z");
    }
  }

  @Test
  void resetAfterFinalDotLetsTheServerHaveTheDotButNotTheClientTheReply()
      throws IOException, InterruptedException {
    proxy.set(Fault.resetAfterFinalDot());
    try (Socket s = connect(1000)) {
      OutputStream out = s.getOutputStream();
      out.write("DATA\r\nSubject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(dotReceived.await(5, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(IOException.class);
    }
    assertThat(proxy.finalDotsSeen()).isEqualTo(1);
    assertThat(proxy.bytesDownstream()).isZero();
  }

  @Test
  void hangAfterFinalDotKeepsTheClientWaiting() throws IOException, InterruptedException {
    proxy.set(Fault.hangAfterFinalDot());
    try (Socket s = connect(1000)) {
      s.setSoTimeout(300);
      s.getOutputStream()
          .write("DATA\r\nSubject: y\r\n\r\nbody\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(dotReceived.await(5, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(proxy.bytesDownstream()).isZero();
  }

  @Test
  void resetAllCutsOpenConnections() throws IOException {
    try (Socket s = connect(1000)) {
      s.getOutputStream().write("a".getBytes(StandardCharsets.US_ASCII));
      assertThat(readExactly(s, 1)).isEqualTo("a");
      proxy.resetAll();
      assertThatThrownBy(
              () -> {
                if (s.getInputStream().read() < 0) {
                  throw new IOException("closed");
                }
              })
          .isInstanceOf(IOException.class);
    }
  }
}
