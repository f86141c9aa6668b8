package io.twinpath.hw.modem.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.modem.ModemException;
import io.twinpath.hw.modem.ModemHealth;
import io.twinpath.hw.modem.SmsSender;
import io.twinpath.modemsim.SentSms;
import io.twinpath.testing.EchoServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The driver against the simulator over a real pty: dialect × socket mode. */
class ModemOnSimulatorIT {
  /** One way of running sockets. */
  record Variant(ModemDialect dialect, boolean transparent) {
    @Override
    public String toString() {
      return dialect + (transparent ? " transparent" : " buffered");
    }
  }

  static Stream<Variant> variants() {
    return Stream.of(
        new Variant(ModemDialect.SIM7600, false), new Variant(ModemDialect.EC25, false));
  }

  static SimModem up(Variant v) throws IOException {
    SimModem m = SimModem.start(v.dialect(), v.transparent());
    try {
      m.modem.bringUp();
      return m;
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ModemDialect.class)
  void bringUpReportsHealth(ModemDialect d) throws IOException {
    try (SimModem m = SimModem.start(d, false, b -> b.rssi(21), b -> b)) {
      ModemHealth h = m.modem.bringUp();
      assertThat(h.simReady()).isTrue();
      assertThat(h.registered()).isTrue();
      assertThat(h.rssi()).isEqualTo(21);
      assertThat(h.signalDbm()).isEqualTo(-71);
      assertThat(h.dataContextUp()).isTrue();
      assertThat(h.ipAddress()).isNotBlank();
      assertThat(h.operator()).isNotBlank();
      assertThat(h.dialect()).isEqualTo(d.name());
      assertThat(m.sim.commandLog()).contains("ATE0", "AT+CMEE=2");
      m.sim.setRssi(99);
      assertThat(m.modem.health().signalDbm()).isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ModemDialect.class)
  void bringUpEntersThePin(ModemDialect d) throws IOException {
    try (SimModem m =
        SimModem.start(d, false, b -> b.pin("2468"), b -> b.pin("2468".toCharArray()))) {
      assertThat(m.modem.bringUp().simReady()).isTrue();
    }
    try (SimModem m =
        SimModem.start(d, false, b -> b.pin("2468"), b -> b.pin("1111".toCharArray()))) {
      assertThatThrownBy(m.modem::bringUp)
          .isInstanceOf(ModemException.class)
          .hasMessageContaining("refused the configured PIN")
          .hasMessageNotContaining("1111");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ModemDialect.class)
  void noSimAndNoRegistrationAreNamed(ModemDialect d) throws IOException {
    try (SimModem m = SimModem.start(d, false, b -> b.simInserted(false), b -> b)) {
      assertThatThrownBy(m.modem::bringUp).hasMessageContaining("no SIM");
    }
    try (SimModem m =
        SimModem.start(
            d,
            false,
            b -> b.registration(io.twinpath.modemsim.RegistrationState.SEARCHING),
            b -> b.registrationTimeout(Duration.ofSeconds(2)))) {
      assertThatThrownBy(m.modem::bringUp).hasMessageContaining("not registered");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void tcpEchoThroughTheModemIsByteExact(Variant v) throws Exception {
    byte[] data = new byte[100_000];
    new Random(7).nextBytes(data);
    try (EchoServer echo = new EchoServer();
        SimModem m = up(v);
        Socket s = m.modem.socketFactory().createSocket("127.0.0.1", echo.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  out.write(data);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      byte[] back = new byte[data.length];
      int got = 0;
      try {
        while (got < back.length) {
          int n = s.getInputStream().read(back, got, back.length - got);
          if (n < 0) {
            break;
          }
          got += n;
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "echo stalled after "
                + got
                + " bytes; simulator: tcp sent "
                + m.sim.tcpBytesSent()
                + ", tcp received "
                + m.sim.tcpBytesReceived()
                + ", serial in "
                + m.sim.serialBytesIn()
                + ", serial out "
                + m.sim.serialBytesOut(),
            e);
      }
      writer.get();
      assertThat(Arrays.equals(back, data)).as("echoed bytes equal").isTrue();
      assertThat(m.sim.tcpBytesSent()).isEqualTo(data.length);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void readTimeoutThenRemoteCloseIsEndOfStream(Variant v) throws Exception {
    try (EchoServer echo = new EchoServer();
        SimModem m = up(v);
        Socket s = m.modem.socketFactory().createSocket("127.0.0.1", echo.port())) {
      s.setSoTimeout(300);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      m.sim.closeRemoteSockets();
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void smtpThroughTheModemToGreenMail(Variant v) throws Exception {
    GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    try (SimModem m = up(v)) {
      Properties p = new Properties();
      p.put("mail.smtp.host", "127.0.0.1");
      p.put("mail.smtp.port", String.valueOf(mail.getSmtp().getPort()));
      p.put("mail.smtp.socketFactory", m.modem.socketFactory());
      p.put("mail.smtp.socketFactory.fallback", "false");
      p.put("mail.smtp.connectiontimeout", "20000");
      p.put("mail.smtp.timeout", "20000");
      p.put("mail.smtp.localhost", "dongle.test");
      Session session = Session.getInstance(p);
      MimeMessage msg = new MimeMessage(session);
      msg.setFrom(new InternetAddress("me@twinpath.test"));
      msg.setRecipient(Message.RecipientType.TO, new InternetAddress("you@twinpath.test"));
      msg.setSubject("over cellular");
      String body = "line of a large message 0123456789\r\n".repeat(30_000); // ~1 MB
      msg.setText(body, "US-ASCII");
      Transport.send(msg);
      assertThat(mail.waitForIncomingEmail(10_000, 1)).isTrue();
      MimeMessage got = mail.getReceivedMessages()[0];
      assertThat(got.getSubject()).isEqualTo("over cellular");
      String content = ((String) got.getContent()).replace("\r\n", "\n").strip();
      assertThat(content.length()).isEqualTo(body.replace("\r\n", "\n").strip().length());
      assertThat(content).isEqualTo(body.replace("\r\n", "\n").strip());
    } finally {
      mail.stop();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void afterTheNetworkDropsTheContextBringUpRebuildsIt(Variant v) throws Exception {
    try (EchoServer echo = new EchoServer();
        SimModem m = up(v)) {
      m.sim.dropDataContext();
      await().atMost(Duration.ofSeconds(10)).until(() -> !m.modem.health().dataContextUp());
      // the modem may still call the dropped context open: it is closed and opened again
      assertThat(m.modem.bringUp().dataContextUp()).isTrue();
      try (Socket s = m.modem.socketFactory().createSocket("127.0.0.1", echo.port())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write("again".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
            .isEqualTo("again");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void contextDropMidTransferFailsTheSocket(Variant v) throws Exception {
    try (EchoServer echo = new EchoServer();
        SimModem m = up(v);
        Socket s = m.modem.socketFactory().createSocket("127.0.0.1", echo.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("before".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("before");
      m.sim.dropDataContext();
      if (v.transparent()) {
        // the session ends; the stream ends or fails, never hangs
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  try {
                    return in.read() == -1;
                  } catch (IOException e) {
                    return true;
                  }
                });
      } else {
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThatThrownBy(() -> out.write(new byte[100]))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("lost"));
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("lost");
        assertThat(m.modem.health().dataContextUp()).isFalse();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ModemDialect.class)
  void faultsOnTheLineAreSurvived(ModemDialect d) throws Exception {
    try (EchoServer echo = new EchoServer();
        SimModem m = up(new Variant(d, false))) {
      m.sim.setGarbage(true);
      m.sim.setSplitWrites(3);
      assertThat(m.modem.health().registered()).isTrue();
      try (Socket s = m.modem.socketFactory().createSocket("127.0.0.1", echo.port())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
            .isEqualTo("ping");
      }
      m.sim.setGarbage(false);
      m.sim.setSplitWrites(0);
      String open = d == ModemDialect.SIM7600 ? "AT+CIPOPEN" : "AT+QIOPEN";
      m.sim.failCommand(open);
      assertThatThrownBy(() -> m.modem.socketFactory().createSocket("127.0.0.1", echo.port()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot open a TCP link");
      m.sim.failCommand(open, "NO CARRIER");
      assertThatThrownBy(() -> m.modem.socketFactory().createSocket("127.0.0.1", echo.port()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("NO CARRIER");
      m.sim.clearCommandFailures();
      try (Socket s = m.modem.socketFactory().createSocket("127.0.0.1", echo.port())) {
        assertThat(s.isConnected()).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ModemDialect.class)
  void aWedgedModemIsReportedAndRecoversAfterReset(ModemDialect d) throws Exception {
    try (SimModem m = up(new Variant(d, false))) {
      m.sim.setWedged(true);
      assertThatThrownBy(m.modem::health)
          .isInstanceOf(ModemException.class)
          .satisfies(e -> assertThat(((ModemException) e).isTimeout()).isTrue());
      assertThatThrownBy(m.modem::resync)
          .hasMessageContaining("does not answer AT after 4 attempts")
          .hasMessageContaining("power cycle");
      // after a full resynchronisation failed, the next exchange tries a single AT
      assertThatThrownBy(m.modem::health)
          .isInstanceOf(ModemException.class)
          .hasMessageContaining("still does not answer AT")
          .hasMessageContaining("power cycle");
      m.sim.reset(); // what ModemPower.reset() does to a real board
      await().atMost(Duration.ofSeconds(10)).until(() -> !m.sim.booting());
      assertThat(m.modem.bringUp().registered()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ModemDialect.class)
  void smsTextUnicodeAndLongReachTheNetworkAsTheRightParts(ModemDialect d) throws Exception {
    try (SimModem m = up(new Variant(d, false))) {
      SmsSender sms = m.modem.sms();
      assertThat(sms.send("+46700000001", "plain text mode", SmsSender.Mode.TEXT)).hasSize(1);
      assertThat(sms.send("+46700000002", "Grüße aus Zürich €", SmsSender.Mode.PDU)).hasSize(1);
      assertThat(sms.send("+46700000003", "Привет, мир", SmsSender.Mode.TEXT)).hasSize(1);
      String longText = "0123456789".repeat(40);
      assertThat(sms.send("+46700000004", longText)).hasSize(3);
      List<SentSms> parts = m.sim.sentSms();
      assertThat(parts).hasSize(6);
      assertThat(m.sim.sentTexts())
          .containsExactly("plain text mode", "Grüße aus Zürich €", "Привет, мир", longText);
      assertThat(parts.get(3).number()).isEqualTo("+46700000004");
      assertThat(parts.get(5).partNumber()).isEqualTo(3);
      assertThat(parts.get(5).partCount()).isEqualTo(3);
    }
  }

  @Test
  void transparentIsRefusedOnSim7600ButBufferedWorks() {
    assertThatThrownBy(() -> SimModem.start(ModemDialect.SIM7600, true))
        .hasMessageContaining("modem.transparent");
  }
}
