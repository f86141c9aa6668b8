package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.testing.EchoServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** EC25 buffer and push mode sockets bridged to a loopback TCP echo server. */
class Ec25SocketIT {
  static void activate(AtClient at) {
    assertThat(at.send("AT+QICSGP=1,1,\"internet\",\"\",\"\",0")).isEqualTo("\r\nOK\r\n");
    assertThat(at.send("AT+QIACT=1")).isEqualTo("\r\nOK\r\n");
    assertThat(at.send("AT+QIACT?")).isEqualTo("\r\n+QIACT: 1,1,1,\"10.64.0.2\"\r\n\r\nOK\r\n");
  }

  static void open(AtClient at, int id, int port, int mode) {
    assertThat(at.send("AT+QIOPEN=1," + id + ",\"TCP\",\"127.0.0.1\"," + port + ",0," + mode))
        .isEqualTo("\r\nOK\r\n");
    assertThat(at.expect("\\+QIOPEN: " + id + ",\\d+\r\n")).endsWith("+QIOPEN: " + id + ",0\r\n");
  }

  static String send(AtClient at, int id, byte[] data) {
    at.write("AT+QISEND=" + id + "," + data.length + "\r");
    assertThat(at.expectText(">")).endsWith(">");
    at.write(data);
    return at.expect("\r\n(SEND OK|SEND FAIL|ERROR)\r\n");
  }

  @Test
  void bufferModeRoundTripThroughTcp() throws Exception {
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.EC25)) {
      AtClient at = h.at;
      activate(at);
      open(at, 0, echo.port(), 0);
      assertThat(send(at, 0, "hello".getBytes(StandardCharsets.US_ASCII)))
          .endsWith("\r\nSEND OK\r\n");
      assertThat(at.expectText("\r\n+QIURC: \"recv\",0\r\n")).endsWith("\"recv\",0\r\n");
      assertThat(at.send("AT+QIRD=0,3")).isEqualTo("\r\n+QIRD: 3\r\nhel\r\n\r\nOK\r\n");
      assertThat(at.send("AT+QIRD=0,0")).isEqualTo("\r\n+QIRD: 5,3,2\r\n\r\nOK\r\n");
      assertThat(at.send("AT+QIRD=0,1500")).isEqualTo("\r\n+QIRD: 2\r\nlo\r\n\r\nOK\r\n");
      assertThat(at.send("AT+QIRD=0,1500")).isEqualTo("\r\n+QIRD: 0\r\n\r\nOK\r\n");
      await().until(() -> at.send("AT+QISEND=0,0").contains("+QISEND: 5,5,0\r\n"));
      assertThat(at.send("AT+QISTATE=1,0"))
          .startsWith("\r\n+QISTATE: 0,\"TCP\",\"127.0.0.1\"," + echo.port() + ",")
          .endsWith(",2,1,0,0,\"uart1\"\r\n\r\nOK\r\n");
      // the recv URC comes again once the buffer was read empty
      send(at, 0, "again".getBytes(StandardCharsets.US_ASCII));
      at.expectText("\r\n+QIURC: \"recv\",0\r\n");
      assertThat(at.send("AT+QICLOSE=0")).isEqualTo("\r\nOK\r\n");
      assertThat(at.send("AT+QISTATE")).isEqualTo("\r\nOK\r\n");
      assertThat(at.send("AT+QIDEACT=1")).isEqualTo("\r\nOK\r\n");
      assertThat(at.send("AT+QIACT?")).isEqualTo("\r\nOK\r\n");
      assertThat(h.sim.tcpBytesSent()).isEqualTo(10);
      await().until(() -> echo.ended() == 1);
    }
  }

  @Test
  void binaryPayloadsInLimitSizedCallsArriveIntact() throws Exception {
    byte[] payload = new byte[5000];
    new Random(7).nextBytes(payload);
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.EC25)) {
      AtClient at = h.at;
      activate(at);
      open(at, 5, echo.port(), 0);
      for (int off = 0; off < payload.length; off += 1460) {
        byte[] part = Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 1460));
        assertThat(send(at, 5, part)).endsWith("SEND OK\r\n");
      }
      assertThat(at.send("AT+QISEND=5,1461")).isEqualTo("\r\nERROR\r\n");
      await().until(() -> echo.bytes() == payload.length);
      StringBuilder back = new StringBuilder();
      while (back.length() < payload.length) {
        at.write("AT+QIRD=5,1500\r");
        String header = at.expect("\r\n\\+QIRD: \\d+\r\n");
        int n = Integer.parseInt(header.replaceAll("(?s).*\\+QIRD: (\\d+)\r\n", "$1"));
        assertThat(n).isBetween(0, 1500);
        back.append(at.readBytes(n));
        at.expectText("\r\nOK\r\n");
      }
      assertThat(back.toString().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(payload);
      assertThat(h.sim.tcpBytesReceived()).isEqualTo(payload.length);
    }
  }

  @Test
  void pushModeDeliversDataWithTheUrc() throws Exception {
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.EC25)) {
      activate(h.at);
      open(h.at, 1, echo.port(), 1);
      send(h.at, 1, "ping".getBytes(StandardCharsets.US_ASCII));
      assertThat(h.at.expectText("ping")).endsWith("\r\n+QIURC: \"recv\",1,4\r\nping");
      assertThat(h.at.send("AT+QIRD=1,100")).isEqualTo("\r\nERROR\r\n");
    }
  }

  @Test
  void remoteCloseKeepsTheSocketClosingUntilQiclose() throws Exception {
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.EC25)) {
      AtClient at = h.at;
      activate(at);
      open(at, 2, echo.port(), 0);
      await().until(() -> echo.accepted() == 1);
      echo.closeConnections();
      at.expectText("\r\n+QIURC: \"closed\",2\r\n");
      assertThat(at.send("AT+QISTATE=1,2")).contains(",4,1,0,0,\"uart1\"");
      assertThat(at.send("AT+QISEND=2,1")).isEqualTo("\r\nERROR\r\n");
      assertThat(at.send("AT+QIOPEN=1,2,\"TCP\",\"127.0.0.1\"," + echo.port() + ",0,0"))
          .isEqualTo("\r\nERROR\r\n");
      assertThat(at.send("AT+QIGETERROR")).contains("+QIGETERROR: 563,");
      assertThat(at.send("AT+QICLOSE=2,10")).isEqualTo("\r\nOK\r\n");
      open(at, 2, echo.port(), 0);
    }
  }

  @Test
  void openFailuresAndSendFailure() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    SimConfig config =
        SimConfig.builder(Dialect.EC25).sendBufferBytes(1460).linkBitsPerSecond(9600).build();
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      assertThat(at.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + echo.port() + ",0,0"))
          .isEqualTo("\r\nOK\r\n");
      assertThat(at.expect("\\+QIOPEN: 0,\\d+\r\n")).endsWith("+QIOPEN: 0,572\r\n");
      activate(at);
      at.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + closedPort + ",0,0");
      assertThat(at.expect("\\+QIOPEN: 0,\\d+\r\n")).endsWith("+QIOPEN: 0,566\r\n");
      assertThat(at.send("AT+QIGETERROR"))
          .isEqualTo("\r\n+QIGETERROR: 566,Socket connect failed\r\n\r\nOK\r\n");
      at.send("AT+QIOPEN=1,0,\"TCP\",\"no-such-host.invalid\",25,0,0");
      assertThat(at.expect("\\+QIOPEN: 0,\\d+\r\n")).endsWith("+QIOPEN: 0,565\r\n");
      assertThat(at.send("AT+QISEND=0,5")).isEqualTo("\r\nERROR\r\n");
      // a 9600 bit/s link drains 1460 bytes in about 1.2 s: the second send finds the buffer full
      open(at, 0, echo.port(), 0);
      assertThat(send(at, 0, new byte[1460])).endsWith("\r\nSEND OK\r\n");
      assertThat(send(at, 0, new byte[10])).endsWith("\r\nSEND FAIL\r\n");
      assertThat(at.send("AT+QISEND=0,0")).contains("+QISEND: 1460,0,1460");
      await().until(() -> at.send("AT+QISEND=0,0").contains("+QISEND: 1460,1460,0"));
      assertThat(send(at, 0, new byte[10])).endsWith("\r\nSEND OK\r\n");
    }
  }

  @Test
  void lateDataTimesOutWhenConfiguredAndCtrlZEndsVariableLengthSends() throws Exception {
    SimConfig config =
        SimConfig.builder(Dialect.EC25).sendDataTimeout(java.time.Duration.ofMillis(300)).build();
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      activate(at);
      open(at, 0, echo.port(), 0);
      at.write("AT+QISEND=0,10\r");
      at.expectText(">");
      at.write("abc"); // seven bytes short
      assertThat(at.expectText("\r\nERROR\r\n")).isEqualTo("\r\nERROR\r\n");
      assertThat(at.send("AT+QIGETERROR")).contains("+QIGETERROR: 569,");
      at.write("AT+QISEND=0\r");
      at.expectText(">");
      at.write("xyz\u001A");
      assertThat(at.expectText("\r\nSEND OK\r\n")).isEqualTo("\r\nSEND OK\r\n");
      at.expectText("\r\n+QIURC: \"recv\",0\r\n");
      assertThat(at.send("AT+QIRD=0")).isEqualTo("\r\n+QIRD: 3\r\nxyz\r\n\r\nOK\r\n");
      assertThat(h.sim.tcpBytesSent()).isEqualTo(3);
    }
  }
}
