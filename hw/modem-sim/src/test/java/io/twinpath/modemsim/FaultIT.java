package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.testing.EchoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every fault switch, seen from the host side of the pty. */
class FaultIT {
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void wedgedModemIgnoresEverythingUntilReset(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      h.sim.setWedged(true);
      h.at.write("AT\r");
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> h.at.unread().isEmpty());
      h.sim.reset();
      assertThat(h.sim.booting()).isTrue();
      h.at.expectText("\r\nRDY\r\n");
      // echo is on again after boot (SIM7600 boot URCs may come first)
      assertThat(h.at.send("AT")).endsWith("AT\r\r\nOK\r\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void garbageBetweenResponsesLeavesTheLinesIntact(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      h.sim.setGarbage(true);
      String reply = h.at.send("AT+CSQ");
      assertThat(reply).contains("\r\n+CSQ: 20,99\r\n").endsWith("\r\nOK\r\n");
      assertThat(reply.chars().anyMatch(c -> c >= 0x80)).isTrue();
      assertThat(reply.replace("\r\n+CSQ: 20,99\r\n", "").replace("\r\nOK\r\n", "")).isNotEmpty();
      h.sim.setGarbage(false);
      assertThat(h.at.send("AT+CSQ")).isEqualTo("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void chosenCommandsFailUntilCleared(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      h.sim.failCommand("at+csq");
      h.sim.failCommand("AT+COPS", "NO CARRIER");
      assertThat(h.at.send("AT+CSQ")).isEqualTo("\r\nERROR\r\n");
      assertThat(h.at.send("AT+COPS?")).isEqualTo("\r\nNO CARRIER\r\n");
      assertThat(h.at.send("AT+CREG?")).endsWith("\r\nOK\r\n");
      h.sim.clearCommandFailures();
      assertThat(h.at.send("AT+CSQ")).endsWith("\r\nOK\r\n");
      assertThat(h.sim.commandLog()).contains("AT+CSQ", "AT+COPS?");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void splitWritesAndInjectedUrcs(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      h.sim.setSplitWrites(1);
      assertThat(h.at.send("AT+CPIN?")).isEqualTo("\r\n+CPIN: READY\r\n\r\nOK\r\n");
      h.sim.setSplitWrites(0);
      h.sim.injectRaw("\r\n+CMTI: \"SM\",4\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(h.at.expectText("+CMTI: \"SM\",4\r\n")).isEqualTo("\r\n+CMTI: \"SM\",4\r\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void simRemovedWhileRunning(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      h.at.send("AT+CREG=1");
      h.sim.setSimInserted(false);
      h.at.expectText("\r\n+CREG: 0\r\n");
      assertThat(h.at.send("AT+CPIN?")).isEqualTo("\r\n+CPIN: NOT INSERTED\r\n\r\nOK\r\n");
      assertThat(h.sim.simState()).isEqualTo(SimCardState.NOT_INSERTED);
      h.sim.setSimInserted(true);
      h.at.expectText("\r\n+CREG: 1\r\n");
      assertThat(h.at.send("AT+CPIN?")).contains("+CPIN: READY");
    }
  }

  @Test
  void sim7600ContextDropMidTransfer() throws Exception {
    SimConfig config = SimConfig.builder(Dialect.SIM7600).linkBitsPerSecond(20_000).build();
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      at.send("AT+CEREG=1");
      at.send("AT+NETOPEN");
      at.expectText("+NETOPEN: 0\r\n");
      at.send("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\"," + echo.port());
      at.expectText("+CIPOPEN: 0,0\r\n");
      for (int i = 0; i < 4; i++) {
        at.write("AT+CIPSEND=0,1500\r");
        at.expectText(">");
        at.write(new byte[1500]);
        at.expectText("+CIPSEND: 0,1500,1500\r\n");
      }
      h.sim.dropDataContext();
      assertThat(at.expectText("\r\n+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY\r\n")).isNotEmpty();
      assertThat(h.sim.dataContextActive()).isFalse();
      await().until(() -> echo.ended() == 1);
      assertThat(echo.bytes()).isLessThan(6000); // 6000 bytes need 2.4 s at 20 kbit/s
      assertThat(at.send("AT+CIPSEND=0,5")).isEqualTo("\r\nERROR\r\n");
      assertThat(at.send("AT+NETOPEN?")).contains("+NETOPEN: 1");
      assertThat(at.send("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\"," + echo.port()))
          .isEqualTo("\r\n+CIPOPEN: 0,1\r\n\r\nERROR\r\n");
      assertThat(at.send("AT+NETCLOSE")).isEqualTo("\r\nOK\r\n");
      at.expectText("+NETCLOSE: 0\r\n");
      at.send("AT+NETOPEN");
      at.expectText("+NETOPEN: 0\r\n");
      assertThat(at.send("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\"," + echo.port()))
          .isEqualTo("\r\nOK\r\n");
      at.expectText("+CIPOPEN: 0,0\r\n");
      // registration lost with the context up: URC, then the context goes
      h.sim.loseRegistration();
      assertThat(at.expectText("+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY\r\n"))
          .contains("\r\n+CEREG: 0\r\n");
    }
  }

  @Test
  void ec25ContextDropMidTransfer() throws Exception {
    SimConfig config = SimConfig.builder(Dialect.EC25).linkBitsPerSecond(20_000).build();
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(config)) {
      AtClient at = h.at;
      Ec25SocketIT.activate(at);
      Ec25SocketIT.open(at, 0, echo.port(), 0);
      for (int i = 0; i < 4; i++) {
        assertThat(Ec25SocketIT.send(at, 0, new byte[1460])).endsWith("SEND OK\r\n");
      }
      h.sim.dropDataContext();
      at.expectText("\r\n+QIURC: \"pdpdeact\",1\r\n");
      await().until(() -> echo.ended() == 1);
      assertThat(echo.bytes()).isLessThan(4 * 1460);
      assertThat(at.send("AT+QISEND=0,5")).isEqualTo("\r\nERROR\r\n");
      assertThat(at.send("AT+QIGETERROR")).contains("+QIGETERROR: 567,");
      assertThat(at.send("AT+QIACT=1")).isEqualTo("\r\nERROR\r\n");
      assertThat(at.send("AT+QIDEACT=1")).isEqualTo("\r\nOK\r\n");
      assertThat(at.send("AT+QIACT=1")).isEqualTo("\r\nOK\r\n");
      Ec25SocketIT.open(at, 0, echo.port(), 0);
    }
  }

  @Test
  void remoteSocketCloseSwitch() throws Exception {
    try (EchoServer echo = new EchoServer();
        SimHarness h = SimHarness.ready(Dialect.EC25)) {
      Ec25SocketIT.activate(h.at);
      Ec25SocketIT.open(h.at, 3, echo.port(), 0);
      h.sim.closeRemoteSockets();
      h.at.expectText("\r\n+QIURC: \"closed\",3\r\n");
      await().until(() -> echo.ended() == 1);
    }
  }

  @Test
  void sim7600PowerOffAndReset() throws Exception {
    SimConfig config =
        SimConfig.builder(Dialect.SIM7600).resetDuration(Duration.ofMillis(100)).build();
    try (SimHarness h = SimHarness.ready(config)) {
      assertThat(h.at.send("AT+CRESET")).isEqualTo("\r\nOK\r\n");
      h.at.expectText("\r\nRDY\r\n");
      h.at.expectText("PB DONE\r\n");
      h.at.send("ATE0");
      assertThat(h.at.send("AT+CPOF")).endsWith("\r\nOK\r\n");
      assertThat(h.sim.poweredOff()).isTrue();
      h.at.write("AT\r");
      await()
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(2))
          .until(() -> h.at.unread().isEmpty());
      h.sim.reset();
      h.at.expectText("\r\nRDY\r\n");
      assertThat(h.sim.poweredOff()).isFalse();
    }
  }

  @Test
  void ec25PowerDown() throws Exception {
    try (SimHarness h = SimHarness.ready(Dialect.EC25)) {
      h.at.write("AT+QPOWD=1\r");
      assertThat(h.at.expectText("POWERED DOWN\r\n")).isEqualTo("\r\nOK\r\n\r\nPOWERED DOWN\r\n");
      assertThat(h.sim.poweredOff()).isTrue();
    }
  }
}
