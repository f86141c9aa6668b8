package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.testing.EchoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Transparent (data mode) sessions, {@code +++} guard times, ATO and remote close. */
class TransparentModeIT {
  private static final Duration GUARD = Duration.ofMillis(200);

  /** Keeps the line quiet for {@code d}; the modem says nothing meanwhile (no stray output). */
  private static void silence(AtClient at, Duration d) {
    await()
        .during(d)
        .atMost(d.plusSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> at.unread().isEmpty());
  }

  @Test
  void ec25TransparentSessionWithGuardedEscape() throws Exception {
    SimConfig config = SimConfig.builder(Dialect.EC25).guardTime(GUARD).build();
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      Ec25SocketIT.activate(at);
      assertThat(at.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + echo.port() + ",0,2"))
          .isEqualTo("\r\nCONNECT\r\n");
      at.write("abc");
      assertThat(at.expectText("abc")).isEqualTo("abc");
      // +++ without the guard silence before it is data
      at.write("x+++y");
      assertThat(at.expectText("x+++y")).isEqualTo("x+++y");
      // +++ followed by data within the guard time is data too
      silence(at, GUARD.multipliedBy(2));
      at.write("+++z");
      assertThat(at.expectText("+++z")).isEqualTo("+++z");
      // guard, +++, guard: command mode
      silence(at, GUARD.multipliedBy(2));
      long t0 = System.nanoTime();
      at.write("+++");
      assertThat(at.expectText("\r\nOK\r\n")).isEqualTo("\r\nOK\r\n");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(GUARD);
      assertThat(at.send("AT")).isEqualTo("\r\nOK\r\n");
      // the socket continues in buffer mode
      echo.sendToAll("late".getBytes(StandardCharsets.US_ASCII));
      at.expectText("\r\n+QIURC: \"recv\",0\r\n");
      assertThat(at.send("AT+QIRD=0,1500")).isEqualTo("\r\n+QIRD: 4\r\nlate\r\n\r\nOK\r\n");
      assertThat(at.send("ATO")).isEqualTo("\r\nCONNECT\r\n");
      at.write("more");
      assertThat(at.expectText("more")).isEqualTo("more");
      silence(at, GUARD.multipliedBy(2));
      at.write("+++");
      at.expectText("\r\nOK\r\n");
      assertThat(at.send("AT+QISWTMD=0,2")).isEqualTo("\r\nCONNECT\r\n");
      echo.closeConnections();
      assertThat(at.expectText("\r\nNO CARRIER\r\n")).isEqualTo("\r\nNO CARRIER\r\n");
      assertThat(at.send("AT+QISTATE=1,0")).contains(",4,1,0,2,\"uart1\"");
      assertThat(at.send("AT+QICLOSE=0")).isEqualTo("\r\nOK\r\n");
      assertThat(h.sim.tcpBytesSent()).isEqualTo("abcx+++y+++zmore".length());
    }
  }

  @Test
  void ec25TransparentCloseFormIsConfigurableAndCarrierDropSaysNoCarrier() throws Exception {
    SimConfig config =
        SimConfig.builder(Dialect.EC25)
            .guardTime(GUARD)
            .transparentClose(SimConfig.TransparentClose.CLOSED)
            .build();
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      Ec25SocketIT.activate(at);
      at.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + echo.port() + ",0,2");
      await().until(() -> echo.accepted() == 1);
      echo.closeConnections();
      assertThat(at.expectText("\r\nCLOSED\r\n")).isEqualTo("\r\nCLOSED\r\n");
      at.send("AT+QICLOSE=0");
      assertThat(at.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + echo.port() + ",0,2"))
          .isEqualTo("\r\nCONNECT\r\n");
      h.sim.dropCarrier();
      assertThat(at.expectText("\r\nNO CARRIER\r\n")).isEqualTo("\r\nNO CARRIER\r\n");
      assertThat(at.send("AT")).isEqualTo("\r\nOK\r\n");
    }
  }

  @Test
  void sim7600TransparentModeOnLinkZero() throws Exception {
    SimConfig config = SimConfig.builder(Dialect.SIM7600).guardTime(GUARD).build();
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      assertThat(at.send("AT+CIPMODE=1")).isEqualTo("\r\nOK\r\n");
      at.send("AT+NETOPEN");
      at.expectText("+NETOPEN: 0\r\n");
      assertThat(at.send("AT+CIPMODE=0")).isEqualTo("\r\nERROR\r\n");
      assertThat(at.send("AT+CIPOPEN=1,\"TCP\",\"127.0.0.1\"," + echo.port()))
          .isEqualTo("\r\n+CIPOPEN: 1,4\r\n\r\nERROR\r\n");
      assertThat(at.send("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\"," + echo.port()))
          .isEqualTo("\r\nCONNECT 115200\r\n");
      at.write("raw bytes");
      assertThat(at.expectText("raw bytes")).isEqualTo("raw bytes");
      silence(at, GUARD.multipliedBy(2));
      at.write("+++");
      at.expectText("\r\nOK\r\n");
      assertThat(at.send("ATO")).isEqualTo("\r\nCONNECT 115200\r\n");
      echo.closeConnections();
      assertThat(at.expectText("\r\nCLOSED\r\n")).isEqualTo("\r\nCLOSED\r\n");
      assertThat(at.send("ATO")).isEqualTo("\r\nNO CARRIER\r\n");
    }
  }
}
