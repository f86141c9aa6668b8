package io.twinpath.hw.modem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.hw.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The public API against a lock-step scripted modem that answers a few bytes a read. */
class ModemScriptedTest {
  static final Sleeper NO_SLEEP = d -> {};
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  private ScriptedPipe pipe = new ScriptedPipe(3);
  private Modem modem;

  private Modem open(ModemDialect d, ModemConfig c) {
    modem = Modem.open(pipe, d, c, NO_SLEEP, CLOCK);
    return modem;
  }

  @AfterEach
  void close() {
    if (modem != null) {
      modem.close();
    }
  }

  private void sim7600Health() {
    pipe.on("AT", "\r\nOK\r\n")
        .on("AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n")
        .on("AT+CSQ", "\r\n+CSQ: 20,99\r\n\r\nOK\r\n")
        .on("AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n")
        .on("AT+CGREG?", "\r\n+CGREG: 0,5\r\n\r\nOK\r\n")
        .on("AT+CEREG?", "\r\n+CEREG: 1,1\r\n\r\nOK\r\n")
        .on("AT+COPS?", "\r\n+COPS: 0,0,\"Mint\",7\r\n\r\nOK\r\n")
        .on("AT+NETOPEN?", "\r\n+NETOPEN: 1\r\n\r\nOK\r\n")
        .on("AT+IPADDR", "\r\n+IPADDR: 10.0.0.7\r\n\r\nOK\r\n");
  }

  @Test
  void healthParsesEveryFieldFromFragmentedReplies() throws IOException {
    sim7600Health();
    ModemHealth h = open(ModemDialect.SIM7600, ModemConfig.defaults()).health();
    assertThat(pipe.problems()).isEmpty();
    assertThat(h.sim()).isEqualTo("READY");
    assertThat(h.rssi()).isEqualTo(20);
    assertThat(h.signalDbm()).isEqualTo(-73); // -113 + 2*20
    assertThat(h.csRegistration()).isEqualTo("home");
    assertThat(h.psRegistration()).isEqualTo("roaming");
    assertThat(h.epsRegistration()).isEqualTo("home");
    assertThat(h.registered()).isTrue();
    assertThat(h.operator()).isEqualTo("Mint");
    assertThat(h.accessTechnology()).isEqualTo("LTE");
    assertThat(h.dataContextUp()).isTrue();
    assertThat(h.ipAddress()).isEqualTo("10.0.0.7");
    assertThat(h.checkedAt()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(h.toMap()).containsEntry("signalDbm", -73).containsEntry("dialect", "SIM7600");
  }

  @Test
  void unknownSignalHasNoDbmAndRefusedQueriesStayNull() throws IOException {
    pipe.on("AT", "\r\nOK\r\n")
        .on("AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n")
        .on("AT+CSQ", "\r\n+CSQ: 99,99\r\n\r\nOK\r\n")
        .on("AT+CREG?", "\r\n+CREG: 0,2\r\n\r\nOK\r\n")
        .on("AT+CGREG?", "\r\nERROR\r\n")
        .on("AT+CEREG?", "\r\n+CME ERROR: operation not supported\r\n")
        .on("AT+COPS?", "\r\n+COPS: 0\r\n\r\nOK\r\n")
        .on("AT+QIACT?", "\r\nOK\r\n");
    ModemHealth h = open(ModemDialect.EC25, ModemConfig.defaults()).health();
    assertThat(pipe.problems()).isEmpty();
    assertThat(h.signalDbm()).isNull();
    assertThat(h.csRegistration()).isEqualTo("searching");
    assertThat(h.psRegistration()).isNull();
    assertThat(h.registered()).isFalse();
    assertThat(h.operator()).isNull();
    assertThat(h.dataContextUp()).isFalse();
  }

  @Test
  void bringUpEntersThePinAndNeverShowsIt() throws IOException {
    pipe.on("AT", "\r\nOK\r\n")
        .on("ATE0", "ATE0\r\r\nOK\r\n") // echo of the command, still on
        .on("AT+CMEE=2", "\r\nOK\r\n")
        .on("AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n")
        .on("AT+CPIN=\"4321\"", "\r\n+CME ERROR: incorrect password\r\n");
    Modem m =
        open(
            ModemDialect.EC25,
            ModemConfig.builder().pin("4321".toCharArray()).apn("internet").build());
    assertThatThrownBy(m::bringUp)
        .isInstanceOf(ModemException.class)
        .hasMessageContaining("refused the configured PIN")
        .hasMessageContaining("incorrect password")
        .hasMessageNotContaining("4321")
        .satisfies(
            e -> {
              assertThat(((ModemException) e).command()).doesNotContain("4321");
              assertThat(((ModemException) e).errorCode()).isEqualTo(16);
            });
    assertThat(pipe.problems()).isEmpty();
    assertThat(m.config().toString()).doesNotContain("4321");
  }

  @Test
  void bringUpReportsAMissingSim() {
    pipe.on("AT", "\r\nOK\r\n")
        .on("ATE0", "\r\nOK\r\n")
        .on("AT+CMEE=2", "\r\nOK\r\n")
        .on("AT+CPIN?", "\r\n+CME ERROR: 10\r\n");
    assertThatThrownBy(open(ModemDialect.SIM7600, ModemConfig.defaults())::bringUp)
        .isInstanceOf(ModemException.class)
        .hasMessageContaining("no SIM");
  }

  @Test
  void bringUpWaitsForRegistrationThenOpensTheNetwork() throws IOException {
    pipe.on("AT", "\r\nOK\r\n")
        .on("ATE0", "\r\nOK\r\n")
        .on("AT+CMEE=2", "\r\nOK\r\n")
        .on("AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n")
        .on("AT+CREG=1", "\r\nOK\r\n")
        .on("AT+CGREG=1", "\r\nOK\r\n")
        .on("AT+CEREG=1", "\r\nOK\r\n")
        .on("AT+COPS=3,0", "\r\nOK\r\n")
        // first poll: searching
        .on("AT+CREG?", "\r\n+CREG: 1,2\r\n\r\nOK\r\n")
        .on("AT+CGREG?", "\r\n+CGREG: 1,2\r\n\r\nOK\r\n")
        .on("AT+CEREG?", "\r\n+CEREG: 1,2\r\n\r\nOK\r\n")
        // second poll: registered on LTE
        .on("AT+CREG?", "\r\n+CREG: 1,2\r\n\r\nOK\r\n")
        .on("AT+CGREG?", "\r\n+CGREG: 1,2\r\n\r\nOK\r\n")
        .on("AT+CEREG?", "\r\n+CEREG: 1,1\r\n\r\nOK\r\n")
        .on("AT+NETOPEN?", "\r\n+NETOPEN: 0\r\n\r\nOK\r\n")
        .on("AT+CGDCONT=1,\"IP\",\"internet\"", "\r\nOK\r\n")
        .on("AT+CSOCKSETPN=1", "\r\nERROR\r\n") // optional: refused is fine
        .on("AT+CIPMODE=0", "\r\nOK\r\n")
        .on("AT+CIPRXGET=1", "\r\nOK\r\n")
        .on("AT+NETOPEN", "\r\nOK\r\n\r\n+NETOPEN: 0\r\n");
    sim7600Health();
    ModemHealth h =
        open(ModemDialect.SIM7600, ModemConfig.builder().apn("internet").build()).bringUp();
    assertThat(pipe.problems()).isEmpty();
    assertThat(h.dataContextUp()).isTrue();
  }

  @Test
  void sim7600SocketSendsReadsAndSeesTheRemoteClose() throws Exception {
    pipe.on("AT+CIPOPEN=0,\"TCP\",\"mail.example\",25", "\r\nOK\r\n\r\n+CIPOPEN: 0,0\r\n")
        .send("\r\n+CIPRXGET: 1,0\r\n") // URC: data waits
        .expect("AT+CIPRXGET=2,0,1460\r")
        .send("\r\n+CIPRXGET: 2,0,11,0\r\n220 ready\r\n\r\nOK\r\n")
        .expect("AT+CIPSEND=0,6\r")
        .send("\r\n>") // the prompt, no line end
        .expect("EHLO\r\n")
        .send("\r\n+CIPSEND: 0,6,6\r\n")
        .send("\r\n+IPCLOSE: 0,1\r\n") // the peer closed
        .expect("AT+CIPRXGET=2,0,1460\r")
        .send("\r\n+CIPRXGET: 2,0,0,0\r\n\r\nOK\r\n")
        .expect("AT+CIPCLOSE=0\r")
        .send("\r\nERROR\r\n");
    Modem m = open(ModemDialect.SIM7600, ModemConfig.defaults());
    try (Socket s = m.socketFactory().createSocket("mail.example", 25)) {
      assertThat(s.isConnected()).isTrue();
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      assertThat(new String(in.readNBytes(11), StandardCharsets.US_ASCII))
          .isEqualTo("220 ready\r\n");
      out.write("EHLO\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.read()).isEqualTo(-1);
      assertThatThrownBy(() -> out.write(1))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("closed by the remote end");
    }
    assertThat(pipe.problems()).isEmpty();
  }

  @Test
  void quectelSocketWithTimeoutAndContextLoss() throws Exception {
    pipe.on("AT+QIOPEN=1,0,\"TCP\",\"10.1.2.3\",587,0,0", "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n")
        .expect("AT+QIRD=0,1500\r")
        .send("\r\n+QIRD: 0\r\n\r\nOK\r\n")
        .expect("AT+QISEND=0,4\r")
        .send("\r\n> ")
        .expect("QUIT")
        .send("\r\nSEND OK\r\n")
        .send("\r\n+QIURC: \"pdpdeact\",1\r\n");
    Modem m = open(ModemDialect.EC25, ModemConfig.defaults());
    Socket s = m.socketFactory().createSocket("10.1.2.3", 587);
    s.setSoTimeout(150);
    assertThatThrownBy(() -> s.getInputStream().read())
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("150 ms");
    s.getOutputStream().write("QUIT".getBytes(StandardCharsets.US_ASCII));
    org.awaitility.Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> s.getInputStream().read())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("pdpdeact"));
    s.close(); // context gone: no AT+QICLOSE needed
    assertThat(pipe.problems()).isEmpty();
  }

  @Test
  void quectelOpenFailureNamesTheError() {
    pipe.on("AT+QIOPEN=1,0,\"TCP\",\"nowhere.example\",25,0,0", "\r\nOK\r\n\r\n+QIOPEN: 0,565\r\n")
        .on("AT+QICLOSE=0", "\r\nOK\r\n");
    Modem m = open(ModemDialect.EC25, ModemConfig.defaults());
    assertThatThrownBy(() -> m.socketFactory().createSocket("nowhere.example", 25))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("DNS parse failed");
    assertThat(pipe.problems()).isEmpty();
  }

  @Test
  void writesAreChunkedToTheDialectLimit() throws Exception {
    byte[] data = new byte[3000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ('a' + i % 26);
    }
    pipe.on("AT+CIPOPEN=0,\"TCP\",\"h\",1", "\r\nOK\r\n\r\n+CIPOPEN: 0,0\r\n")
        .expect("AT+CIPSEND=0,1500\r")
        .send("\r\n>")
        .expect(java.util.Arrays.copyOfRange(data, 0, 1500))
        .send("\r\n+CIPSEND: 0,1500,1000\r\n") // the modem took only 1000
        .expect("AT+CIPSEND=0,1500\r")
        .send("\r\n>")
        .expect(java.util.Arrays.copyOfRange(data, 1000, 2500))
        .send("\r\n+CIPSEND: 0,1500,1500\r\n")
        .expect("AT+CIPSEND=0,500\r")
        .send("\r\n>")
        .expect(java.util.Arrays.copyOfRange(data, 2500, 3000))
        .send("\r\nOK\r\n\r\n+CIPSEND: 0,500,500\r\n"); // an OK first is tolerated
    Modem m = open(ModemDialect.SIM7600, ModemConfig.defaults());
    Socket s = m.socketFactory().createSocket("h", 1);
    s.getOutputStream().write(data);
    assertThat(pipe.problems()).isEmpty();
  }

  @Test
  void transparentConfigIsRefusedForSim7600() {
    assertThatThrownBy(
            () ->
                Modem.open(
                    pipe,
                    ModemDialect.SIM7600,
                    ModemConfig.builder().transparent(true).build(),
                    NO_SLEEP,
                    CLOCK))
        .hasMessageContaining("modem.transparent")
        .hasMessageContaining("EC25");
  }

  @Test
  void configRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> ModemConfig.builder().apn("a\"b"))
        .hasMessageContaining("modem.apn")
        .hasMessageContaining("a\"b");
    assertThatThrownBy(() -> ModemConfig.builder().pin("12a4".toCharArray()))
        .hasMessageContaining("modem.pin")
        .hasMessageNotContaining("12a4");
    assertThatThrownBy(() -> ModemConfig.builder().contextId(17)).hasMessageContaining("17");
    assertThatThrownBy(() -> ModemConfig.builder().commandTimeout(Duration.ZERO))
        .hasMessageContaining("modem.commandTimeout");
  }
}
