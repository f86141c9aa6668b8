package io.twinpath.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.RecipientResult.Status;
import io.twinpath.core.smtp.SendResult.Outcome;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import io.twinpath.core.spool.Spool;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP path against GreenMail in this JVM, directly and through the fault proxy. */
class GreenMailSmtpIT {
  private GreenMail greenMail;
  private FaultProxy proxy;
  @TempDir Path dir;

  @BeforeEach
  void start() {
    greenMail =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    greenMail.start();
    proxy = FaultProxy.to("127.0.0.1", greenMail.getSmtp().getPort());
  }

  @AfterEach
  void stop() {
    proxy.close();
    greenMail.stop();
  }

  private SmtpSettings.Builder settings(int port) {
    return SmtpSettings.builder()
        .host("127.0.0.1")
        .port(port)
        .tls(TlsMode.NONE)
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(2))
        .writeTimeout(Duration.ofSeconds(2));
  }

  private SendResult sendViaProxy(byte[] bytes, OutboundItem item) {
    return SmtpSender.create(settings(proxy.port()).build())
        .send(item, new ByteArrayInputStream(bytes), Set.of());
  }

  private static byte[] raw(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  private static boolean endsWith(byte[] all, byte[] tail) {
    return all.length >= tail.length
        && Arrays.equals(Arrays.copyOfRange(all, all.length - tail.length, all.length), tail);
  }

  @Test
  void deliversTheSpooledBytesUnchanged() throws Exception {
    byte[] bytes = TestMessages.tricky();
    try (Spool spool = Spool.open(dir)) {
      OutboundItem item =
          spool.enqueue(
              Envelope.of("me@x.org", List.of("a@y.org", "b@y.org")),
              new ByteArrayInputStream(bytes),
              Instant.now().plusSeconds(60),
              DeviceId.of("laptop"));
      SendResult r;
      try (InputStream in = spool.openMessage(item.id())) {
        r =
            SmtpSender.create(settings(greenMail.getSmtp().getPort()).build())
                .send(item, in, Set.of());
      }
      assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.DELIVERED);
      assertThat(r.accepted()).containsExactly("a@y.org", "b@y.org");
      assertThat(r.replyCode()).isEqualTo(250);
    }
    MimeMessage[] got = greenMail.getReceivedMessages();
    assertThat(got).hasSize(2); // one per recipient
    for (MimeMessage m : got) {
      byte[] received = raw(m);
      // GreenMail puts its own trace fields on top; everything after them is our bytes, exactly
      // GreenMail adds Return-Path and Received on top and keeps the CRLF before the final dot as
      // part of the terminator; everything in between is our bytes, exactly
      byte[] withoutLastCrlf = Arrays.copyOf(bytes, bytes.length - 2);
      assertThat(endsWith(received, withoutLastCrlf))
          .as("received bytes end with the spooled bytes")
          .isTrue();
      assertThat(new String(received, 0, 14, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("Return-Path: <");
      assertThat(m.getMessageID()).isEqualTo(TestMessages.messageId(bytes));
    }
  }

  @Test
  void refusedConnectionIsTemporary() {
    proxy.set(Fault.refuse());
    byte[] bytes = TestMessages.small();
    SendResult r = sendViaProxy(bytes, TestMessages.item(bytes, "a@y.org"));
    assertThat(r.outcome()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.stage()).isEqualTo(SmtpStage.CONNECT);
    assertThat(r.reason()).contains("connection refused");
    assertThat(r.pending()).containsExactly("a@y.org");
  }

  @Test
  void blackHoleTimesOutAtConnect() {
    proxy.set(Fault.blackHole());
    byte[] bytes = TestMessages.small();
    SendResult r = sendViaProxy(bytes, TestMessages.item(bytes, "a@y.org"));
    assertThat(r.outcome()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.stage()).isEqualTo(SmtpStage.CONNECT);
    assertThat(r.reason()).contains("connect timed out");
    assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aSilentServerTimesOutAtTheGreeting() {
    proxy.set(Fault.silent());
    byte[] bytes = TestMessages.small();
    SendResult r = sendViaProxy(bytes, TestMessages.item(bytes, "a@y.org"));
    assertThat(r.outcome()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.stage()).isEqualTo(SmtpStage.GREETING);
    assertThat(r.reason()).contains("did not answer in time");
  }

  @Test
  void aResetInTheMiddleOfTheBodyIsTemporaryAndDeliversNothing() throws Exception {
    // 8 MiB: far more than the socket buffers hold, so the reset meets the client while it is
    // still writing the body (a reset that arrives after the whole body and the dot were handed
    // to the kernel is indistinguishable from a lost reply: ambiguous)
    byte[] bytes =
        TestMessages.prepare(
            "Subject: big\n\n"
                + "y".repeat(1000)
                + "\n".repeat(1)
                + ("z".repeat(998) + "\n").repeat(8 * 1024));
    proxy.set(Fault.resetAfterBytes(5_000));
    SendResult r = sendViaProxy(bytes, TestMessages.item(bytes, "a@y.org"));
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.stage()).isIn(SmtpStage.BODY, SmtpStage.DATA);
    assertThat(r.reason()).contains("before the final dot");
    assertThat(proxy.finalDotsSeen()).isZero();
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void aLostReplyToTheFinalDotIsAmbiguousAndTheServerHasTheMessage() throws Exception {
    byte[] bytes = TestMessages.tricky();
    proxy.set(Fault.resetAfterFinalDot());
    SendResult r = sendViaProxy(bytes, TestMessages.item(bytes, "a@y.org", "b@y.org"));
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.AMBIGUOUS);
    assertThat(r.possibleDuplicate()).isTrue();
    assertThat(r.stage()).isEqualTo(SmtpStage.FINAL_REPLY);
    assertThat(r.recipients()).extracting(RecipientResult::status).containsOnly(Status.UNCERTAIN);
    assertThat(r.pending()).containsExactly("a@y.org", "b@y.org");
    await().atMost(Duration.ofSeconds(10)).until(() -> greenMail.getReceivedMessages().length == 2);
  }

  @Test
  void aReplyThatNeverComesAfterTheFinalDotIsAmbiguous() {
    byte[] bytes = TestMessages.small();
    proxy.set(Fault.hangAfterFinalDot());
    SendResult r = sendViaProxy(bytes, TestMessages.item(bytes, "a@y.org"));
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.AMBIGUOUS);
    assertThat(r.reason()).contains("no reply to the final dot");
    assertThat(proxy.finalDotsSeen()).isEqualTo(1);
  }

  @Test
  void usesTheConfiguredSocketFactoryWithAnUnresolvedAddress() {
    AtomicInteger made = new AtomicInteger();
    List<SocketAddress> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    SocketFactory factory =
        new SocketFactory() {
          @Override
          public Socket createSocket() {
            made.incrementAndGet();
            return new Socket() {
              @Override
              public void connect(SocketAddress endpoint, int timeout) throws java.io.IOException {
                asked.add(endpoint);
                InetSocketAddress a = (InetSocketAddress) endpoint;
                // resolve on "the other side", as a modem would
                super.connect(new InetSocketAddress(a.getHostString(), a.getPort()), timeout);
              }
            };
          }

          @Override
          public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Socket createSocket(String host, int port, InetAddress local, int localPort) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Socket createSocket(
              InetAddress address, int port, InetAddress local, int localPort) {
            throw new UnsupportedOperationException();
          }
        };
    byte[] bytes = TestMessages.small();
    SendResult r =
        SmtpSender.create(settings(greenMail.getSmtp().getPort()).socketFactory(factory).build())
            .send(TestMessages.item(bytes, "a@y.org"), new ByteArrayInputStream(bytes), Set.of());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.DELIVERED);
    assertThat(made).hasValue(1);
    assertThat(asked).hasSize(1);
    assertThat(((InetSocketAddress) asked.get(0)).isUnresolved()).isTrue();
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void authenticatesWithGreenMailAndWrongCredentialsArePermanent() {
    GreenMail withAuth =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("me@x.org", "right"));
    withAuth.start();
    try {
      byte[] bytes = TestMessages.small();
      int port = withAuth.getSmtp().getPort();
      SendResult ok =
          SmtpSender.create(settings(port).credentials("me@x.org", "right"::toCharArray).build())
              .send(TestMessages.item(bytes, "a@y.org"), new ByteArrayInputStream(bytes), Set.of());
      assertThat(ok.outcome()).as(ok.toString()).isEqualTo(Outcome.DELIVERED);
      SendResult bad =
          SmtpSender.create(settings(port).credentials("me@x.org", "wrong"::toCharArray).build())
              .send(TestMessages.item(bytes, "a@y.org"), new ByteArrayInputStream(bytes), Set.of());
      assertThat(bad.outcome()).as(bad.toString()).isEqualTo(Outcome.PERMANENT);
      assertThat(bad.stage()).isEqualTo(SmtpStage.AUTH);
      assertThat(bad.replyCode()).isEqualTo(535);
      assertThat(bad.rejected()).containsExactly("a@y.org");
      assertThat(withAuth.getReceivedMessages()).hasSize(1);
    } finally {
      withAuth.stop();
    }
  }
}
