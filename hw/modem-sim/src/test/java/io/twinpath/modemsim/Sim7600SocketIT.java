package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.testing.EchoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SIM7600 non-transparent sockets bridged to a loopback TCP echo server. */
class Sim7600SocketIT {
  private static void netOpen(AtClient at) {
    assertThat(at.send("AT+CGDCONT=1,\"IP\",\"internet\"")).endsWith("OK\r\n");
    assertThat(at.send("AT+CIPMODE=0")).endsWith("OK\r\n");
    assertThat(at.send("AT+CIPSENDMODE=0")).endsWith("OK\r\n");
    assertThat(at.send("AT+CIPCCFG=10,0,0,0,1,0,75000")).endsWith("OK\r\n");
    assertThat(at.send("AT+CIPTIMEOUT=75000,15000,15000")).endsWith("OK\r\n");
    assertThat(at.send("AT+NETOPEN")).isEqualTo("\r\nOK\r\n");
    assertThat(at.expectText("\r\n+NETOPEN: 0\r\n")).isEqualTo("\r\n+NETOPEN: 0\r\n");
    assertThat(at.send("AT+NETOPEN?")).isEqualTo("\r\n+NETOPEN: 1\r\n\r\nOK\r\n");
    assertThat(at.send("AT+IPADDR")).isEqualTo("\r\n+IPADDR: 10.64.0.2\r\n\r\nOK\r\n");
  }

  private static void open(AtClient at, int link, int port) {
    assertThat(at.send("AT+CIPOPEN=" + link + ",\"TCP\",\"127.0.0.1\"," + port))
        .isEqualTo("\r\nOK\r\n");
    assertThat(at.expect("\r\n\\+CIPOPEN: " + link + ",\\d+\r\n"))
        .isEqualTo("\r\n+CIPOPEN: " + link + ",0\r\n");
  }

  private static void send(AtClient at, int link, byte[] data, boolean ok) {
    at.write("AT+CIPSEND=" + link + "," + data.length + "\r");
    assertThat(at.expectText(">")).endsWith(">");
    at.write(data);
    String confirm = "+CIPSEND: " + link + "," + data.length + "," + data.length + "\r\n";
    // a URC (+CIPRXGET: 1,<link>) may come first
    assertThat(at.expectText(confirm)).endsWith((ok ? "\r\nOK\r\n" : "") + "\r\n" + confirm);
  }

  @Test
  void pullModeRoundTripThroughTcp() throws Exception {
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.SIM7600)) {
      AtClient at = h.at;
      netOpen(at);
      assertThat(at.send("AT+CIPRXGET=1")).isEqualTo("\r\nOK\r\n");
      open(at, 0, echo.port());
      send(at, 0, "hello".getBytes(StandardCharsets.US_ASCII), true);
      assertThat(at.expectText("\r\n+CIPRXGET: 1,0\r\n")).endsWith("+CIPRXGET: 1,0\r\n");
      assertThat(at.send("AT+CIPRXGET=4,0")).isEqualTo("\r\n+CIPRXGET: 4,0,5\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CIPRXGET=2,0,3")).isEqualTo("\r\n+CIPRXGET: 2,0,3,2\r\nhel\r\nOK\r\n");
      assertThat(at.send("AT+CIPRXGET=3,0,1460"))
          .isEqualTo("\r\n+CIPRXGET: 3,0,2,0\r\n6C6F\r\nOK\r\n");
      assertThat(at.send("AT+CIPRXGET=2,0,1460")).isEqualTo("\r\n+CIPRXGET: 2,0,0,0\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CIPOPEN?")).contains("+CIPOPEN: 0,\"TCP\",\"127.0.0.1\"");
      assertThat(at.send("AT+CIPCLOSE?")).contains("+CIPCLOSE: 1,0,0,0,0,0,0,0,0,0");
      assertThat(at.send("AT+CIPCLOSE=0")).isEqualTo("\r\nOK\r\n");
      assertThat(at.expectText("\r\n+CIPCLOSE: 0,0\r\n")).isEqualTo("\r\n+CIPCLOSE: 0,0\r\n");
      assertThat(at.send("AT+NETCLOSE")).isEqualTo("\r\nOK\r\n");
      assertThat(at.expectText("\r\n+NETCLOSE: 0\r\n")).isEqualTo("\r\n+NETCLOSE: 0\r\n");
      assertThat(h.sim.tcpBytesSent()).isEqualTo(5);
      assertThat(h.sim.tcpBytesReceived()).isEqualTo(5);
      await().until(() -> echo.ended() == 1);
    }
  }

  @Test
  void binaryPayloadsInLimitSizedCallsArriveIntact() throws Exception {
    byte[] payload = new byte[4000];
    new Random(42).nextBytes(payload);
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.SIM7600)) {
      AtClient at = h.at;
      netOpen(at);
      at.send("AT+CIPRXGET=1");
      open(at, 3, echo.port());
      for (int off = 0; off < payload.length; off += 1500) {
        byte[] part =
            java.util.Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 1500));
        send(at, 3, part, true);
      }
      // the echo may already be back: its "+CIPRXGET: 1,3" URC can come before the reply
      assertThat(at.send("AT+CIPSEND=3,1501").replace("\r\n+CIPRXGET: 1,3\r\n", ""))
          .isEqualTo("\r\nERROR\r\n");
      await().until(() -> echo.bytes() == payload.length);
      StringBuilder back = new StringBuilder();
      while (back.length() < payload.length) {
        at.write("AT+CIPRXGET=2,3,1460\r");
        String header = at.expect("\r\n\\+CIPRXGET: 2,3,\\d+,\\d+\r\n");
        // a "+CIPRXGET: 1,3" URC may precede the header
        int n = Integer.parseInt(header.replaceAll("(?s).*\\+CIPRXGET: 2,3,(\\d+),\\d+\r\n", "$1"));
        assertThat(n).isBetween(0, 1460);
        back.append(at.readBytes(n));
        assertThat(at.expectText("\r\nOK\r\n")).isEqualTo("\r\nOK\r\n");
      }
      assertThat(back.toString().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(payload);
      assertThat(h.sim.tcpBytesSent()).isEqualTo(payload.length);
      assertThat(h.sim.serialBytesIn()).isGreaterThan(payload.length);
    }
  }

  @Test
  void pushModeAnnouncesDataWithReceiveHeader() throws Exception {
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.SIM7600)) {
      netOpen(h.at);
      open(h.at, 1, echo.port());
      send(h.at, 1, "ping".getBytes(StandardCharsets.US_ASCII), true);
      assertThat(h.at.expectText("ping")).isEqualTo("\r\n+RECEIVE,1,4\r\nping");
    }
  }

  @Test
  void unverifiedFormsAreConfigurable() throws Exception {
    SimConfig config =
        SimConfig.builder(Dialect.SIM7600)
            .cipsendOk(false)
            .pushHeader(SimConfig.PushHeader.IPD)
            .build();
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      assertThat(at.send("AT+NETOPEN")).endsWith("OK\r\n");
      at.expectText("+NETOPEN: 0\r\n");
      open(at, 0, echo.port());
      send(at, 0, "pong".getBytes(StandardCharsets.US_ASCII), false);
      assertThat(at.expectText("pong")).isEqualTo("\r\n+IPD4\r\npong");
      // a stray Ctrl-Z after fixed-length data is tolerated
      at.write("AT+CIPSEND=0,2\r");
      at.expectText(">");
      at.write("ab\u001A");
      at.expectText("+CIPSEND: 0,2,2\r\n");
      assertThat(at.expectText("ab")).isEqualTo("\r\n+IPD2\r\nab");
      assertThat(at.send("AT")).isEqualTo("\r\nOK\r\n");
      // CIPCCFG HeaderType=1 switches to +RECEIVE
      at.send("AT+CIPCCFG=10,0,0,0,1,0,75000");
      send(at, 0, "x".getBytes(StandardCharsets.US_ASCII), false);
      assertThat(at.expectText("x")).isEqualTo("\r\n+RECEIVE,0,1\r\nx");
    }
  }

  @Test
  void remoteCloseIsReported() throws Exception {
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.SIM7600)) {
      netOpen(h.at);
      open(h.at, 2, echo.port());
      await().until(() -> echo.accepted() == 1);
      echo.closeConnections();
      assertThat(h.at.expectText("\r\n+IPCLOSE: 2,1\r\n")).endsWith("+IPCLOSE: 2,1\r\n");
      assertThat(h.at.send("AT+CIPSEND=2,1")).isEqualTo("\r\nERROR\r\n");
      assertThat(h.at.send("AT+CIPCLOSE=2")).isEqualTo("\r\n+CIPCLOSE: 2,4\r\n\r\nERROR\r\n");
    }
  }

  @Test
  void openFailuresCarryTheirCodes() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (SimHarness h = SimHarness.ready(Dialect.SIM7600)) {
      AtClient at = h.at;
      assertThat(at.send("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\",80"))
          .isEqualTo("\r\n+CIPOPEN: 0,2\r\n\r\nERROR\r\n");
      assertThat(at.send("AT+NETCLOSE")).contains("ERROR");
      at.send("AT+NETOPEN");
      at.expectText("+NETOPEN: 0\r\n");
      assertThat(at.send("AT+NETOPEN"))
          .isEqualTo("\r\n+IP ERROR: Network is already opened\r\n\r\nERROR\r\n");
      assertThat(at.send("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\"," + closedPort))
          .isEqualTo("\r\nOK\r\n");
      assertThat(at.expect("\\+CIPOPEN: 0,\\d+\r\n")).endsWith("+CIPOPEN: 0,1\r\n");
      assertThat(at.send("AT+CIPOPEN=0,\"TCP\",\"no-such-host.invalid\",25"))
          .isEqualTo("\r\nOK\r\n");
      assertThat(at.expect("\\+CIPOPEN: 0,\\d+\r\n")).endsWith("+CIPOPEN: 0,11\r\n");
      assertThat(at.send("AT+CIPOPEN=0,\"UDP\",\"127.0.0.1\",25"))
          .isEqualTo("\r\n+CIPOPEN: 0,3\r\n\r\nERROR\r\n");
      assertThat(at.send("AT+CIPSEND=0,5")).isEqualTo("\r\nERROR\r\n");
    }
  }

  @Test
  void linkModelDelaysConnectAndPacesData() throws Exception {
    SimConfig config =
        SimConfig.builder(Dialect.SIM7600)
            .linkLatency(Duration.ofMillis(100))
            .linkBitsPerSecond(400_000)
            .build();
    byte[] payload = new byte[15_000];
    new Random(1).nextBytes(payload);
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      netOpen(at);
      at.send("AT+CIPRXGET=1");
      long t0 = System.nanoTime();
      open(at, 0, echo.port());
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
      long t1 = System.nanoTime();
      for (int off = 0; off < payload.length; off += 1500) {
        send(at, 0, java.util.Arrays.copyOfRange(payload, off, off + 1500), true);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> echo.bytes() == payload.length);
      // 15 000 bytes at 400 kbit/s take 300 ms on the air, plus 100 ms latency
      assertThat(Duration.ofNanos(System.nanoTime() - t1))
          .isGreaterThanOrEqualTo(Duration.ofMillis(390));
    }
  }
}
