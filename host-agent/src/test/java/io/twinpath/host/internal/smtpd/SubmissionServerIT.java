package io.twinpath.host.internal.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolOptions;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.queue.SpoolOutbox;
import io.twinpath.host.internal.submit.Outbox;
import io.twinpath.host.internal.submit.SubmitException;
import io.twinpath.host.testing.HostFixture;
import io.twinpath.host.testing.RecordingOutbox;
import io.twinpath.host.testing.SmtpScript;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The listener's SMTP dialogue, byte for byte, against a scripted client. */
class SubmissionServerIT {
  static final long LIMIT = 4096;
  RecordingOutbox outbox;
  SubmissionServer server;

  @BeforeEach
  void start() throws Exception {
    outbox = new RecordingOutbox(LIMIT);
    server =
        SubmissionServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            outbox,
            "laptop.example",
            Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void ehloAdvertisesSizeEightBitAndUtf8() throws Exception {
    try (SmtpScript c = new SmtpScript(server.port())) {
      assertThat(c.reply()).startsWith("220 laptop.example ESMTP");
      assertThat(c.command("EHLO client.example"))
          .isEqualTo(
              "250-laptop.example greets client.example\n250-SIZE 4096\n250-8BITMIME\n"
                  + "250-SMTPUTF8\n250-PIPELINING\n250-ENHANCEDSTATUSCODES\n250 HELP");
    }
  }

  @Test
  void aMessageIsAcknowledgedOnlyOnceQueuedAndArrivesUnstuffed() throws Exception {
    try (SmtpScript c = new SmtpScript(server.port())) {
      c.reply();
      c.command("EHLO client.example");
      assertThat(c.command("MAIL FROM:<alice@example.org> BODY=8BITMIME SMTPUTF8 SIZE=100"))
          .startsWith("250 2.1.0");
      assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250 2.1.5");
      assertThat(c.command("RCPT TO:<zoë@example.org>")).startsWith("250 2.1.5");
      assertThat(c.command("DATA")).startsWith("354");
      c.raw("Subject: Grüße\r\n\r\n..leading dot\r\n.\r\n");
      String reply = c.reply();
      assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
      assertThat(outbox.submitted()).hasSize(1);
      RecordingOutbox.Submitted s = outbox.submitted().get(0);
      assertThat(reply).endsWith(s.id().toString());
      assertThat(s.envelope().mailFrom()).isEqualTo("alice@example.org");
      assertThat(s.envelope().recipients()).containsExactly("bob@example.org", "zoë@example.org");
      assertThat(new String(s.bytes(), StandardCharsets.UTF_8))
          .isEqualTo("Subject: Grüße\r\n\r\n.leading dot\r\n");
      assertThat(c.command("QUIT")).startsWith("221 2.0.0");
    }
  }

  @Test
  void pipelinedCommandsAreAnsweredInOrder() throws Exception {
    try (SmtpScript c = new SmtpScript(server.port())) {
      c.reply();
      c.command("EHLO client.example");
      c.raw(
          "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\n"
              + "DATA\r\n");
      assertThat(c.reply()).startsWith("250");
      assertThat(c.reply()).startsWith("250");
      assertThat(c.reply()).startsWith("250");
      assertThat(c.reply()).startsWith("354");
      c.raw("Subject: p\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<d@example.org>\r\n");
      assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued");
      assertThat(c.reply()).startsWith("250 2.1.0");
      assertThat(c.reply()).startsWith("250 2.1.5");
      assertThat(c.command("DATA")).startsWith("354");
      c.raw("Subject: bounce-like\r\n\r\n.\r\n");
      assertThat(c.reply()).startsWith("250 2.0.0");
    }
    assertThat(outbox.submitted()).hasSize(2);
    assertThat(outbox.submitted().get(1).envelope().mailFrom()).isEmpty();
  }

  static Stream<Arguments> dialogues() {
    return Stream.of(
        // commands sent after the greeting, and the reply code each one must get
        Arguments.of(List.of("MAIL FROM:<a@example.org>"), List.of("503 5.5.1")),
        Arguments.of(List.of("EHLO"), List.of("501 5.5.4")),
        Arguments.of(List.of("HELO x", "RCPT TO:<b@example.org>"), List.of("250", "503 5.5.1")),
        Arguments.of(List.of("HELO x", "DATA"), List.of("250", "503 5.5.1")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<a@example.org>", "DATA"),
            List.of("250", "250", "554 5.5.1")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<a@example.org>", "MAIL FROM:<a@example.org>"),
            List.of("250", "250", "503 5.5.1")),
        Arguments.of(List.of("HELO x", "MAIL FROM:a@example.org"), List.of("250", "501 5.5.4")),
        Arguments.of(List.of("HELO x", "MAIL TO:<a@example.org>"), List.of("250", "501 5.5.4")),
        Arguments.of(List.of("HELO x", "MAIL FROM:<a@example.org"), List.of("250", "501 5.5.4")),
        Arguments.of(List.of("HELO x", "MAIL FROM:<not an address>"), List.of("250", "553 5.1.7")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<a@example.org> SIZE=4097"), List.of("250", "552 5.3.4")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<a@example.org> SIZE=big"), List.of("250", "501 5.5.4")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<a@example.org> BODY=BINARYMIME"),
            List.of("250", "501 5.5.4")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<a@example.org> RET=HDRS"), List.of("250", "555 5.5.4")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM: <a@example.org>", "RCPT TO: <b@example.org>"),
            List.of("250", "250 2.1.0", "250 2.1.5")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<>", "RCPT TO:<>"), List.of("250", "250", "501 5.5.4")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<>", "RCPT TO:<postmaster>"),
            List.of("250", "250", "553 5.1.3")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<>", "RCPT TO:<@relay.example:b@example.org>"),
            List.of("250", "250", "250 2.1.5")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<>", "RCPT TO:<b@example.org> NOTIFY=NEVER"),
            List.of("250", "250", "555 5.5.4")),
        Arguments.of(
            List.of("HELO x", "MAIL FROM:<a@example.org>", "RSET", "RCPT TO:<b@example.org>"),
            List.of("250", "250", "250 2.0.0", "503 5.5.1")),
        Arguments.of(List.of("RSET now"), List.of("501 5.5.4")),
        Arguments.of(List.of("NOOP", "VRFY bob", "HELP"), List.of("250", "252", "214")),
        Arguments.of(List.of("STARTTLS", "AUTH PLAIN AAAA"), List.of("502 5.5.1", "502 5.5.1")),
        Arguments.of(List.of("EXPLODE"), List.of("500 5.5.2")),
        Arguments.of(List.of("X".repeat(3000), "NOOP"), List.of("500 5.5.6", "250")),
        Arguments.of(List.of("QUIT"), List.of("221 2.0.0")));
  }

  @ParameterizedTest
  @MethodSource("dialogues")
  void commandsGetStrictReplies(List<String> commands, List<String> replies) throws Exception {
    try (SmtpScript c = new SmtpScript(server.port())) {
      c.reply();
      for (int i = 0; i < commands.size(); i++) {
        assertThat(c.command(commands.get(i))).as(commands.get(i)).startsWith(replies.get(i));
      }
    }
    assertThat(outbox.submitted()).isEmpty();
  }

  @Test
  void aMessageOverTheLimitIsRefusedWith552AndTheSessionGoesOn() throws Exception {
    try (SmtpScript c = new SmtpScript(server.port())) {
      c.reply();
      c.command("EHLO x");
      c.command("MAIL FROM:<a@example.org>");
      c.command("RCPT TO:<b@example.org>");
      assertThat(c.command("DATA")).startsWith("354");
      c.raw("Subject: big\r\n\r\n" + ("y".repeat(70) + "\r\n").repeat(100) + ".\r\n");
      assertThat(c.reply()).isEqualTo("552 5.3.4 Message exceeds the size limit of 4096 bytes");
      assertThat(c.command("MAIL FROM:<a@example.org>")).startsWith("250");
      c.command("RCPT TO:<b@example.org>");
      c.command("DATA");
      c.raw("Subject: small\r\n\r\nok\r\n.\r\n");
      assertThat(c.reply()).startsWith("250 2.0.0");
    }
    assertThat(outbox.submitted()).hasSize(1);
  }

  @Test
  void aMessageThatCannotBeQueuedGets451() throws Exception {
    outbox.failWith(SubmitException.Kind.TEMPORARY);
    try (SmtpScript c = new SmtpScript(server.port())) {
      c.reply();
      c.command("EHLO x");
      c.command("MAIL FROM:<a@example.org>");
      c.command("RCPT TO:<b@example.org>");
      c.command("DATA");
      c.raw("Subject: x\r\n\r\nbody\r\n.\r\n");
      assertThat(c.reply()).startsWith("451 4.3.0 Not queued: ");
      assertThat(c.command("NOOP")).startsWith("250");
    }
    assertThat(outbox.submitted()).isEmpty();
  }

  @Test
  void aConnectionLostInDataQueuesNothing() throws Exception {
    try (SmtpScript c = new SmtpScript(server.port())) {
      c.reply();
      c.command("EHLO x");
      c.command("MAIL FROM:<a@example.org>");
      c.command("RCPT TO:<b@example.org>");
      c.command("DATA");
      c.raw("Subject: x\r\n\r\nhalf a mess");
    }
    // a new session works and is the only one queued
    try (SmtpScript c = new SmtpScript(server.port())) {
      c.reply();
      c.command("EHLO x");
      c.command("MAIL FROM:<a@example.org>");
      c.command("RCPT TO:<b@example.org>");
      c.command("DATA");
      c.raw("Subject: whole\r\n\r\nbody\r\n.\r\n");
      assertThat(c.reply()).startsWith("250 2.0.0");
    }
    assertThat(outbox.submitted()).hasSize(1);
    assertThat(new String(outbox.submitted().get(0).bytes(), StandardCharsets.UTF_8))
        .contains("whole");
  }

  /** Sends one small message through a listener on {@code outbox}; returns the DATA reply. */
  private static String sendOne(Outbox outbox) throws Exception {
    try (SubmissionServer s =
            SubmissionServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                outbox,
                "laptop.example",
                Duration.ofSeconds(30));
        SmtpScript c = new SmtpScript(s.port())) {
      c.reply();
      c.command("EHLO x");
      c.command("MAIL FROM:<a@example.org>");
      c.command("RCPT TO:<b@example.org>");
      c.command("DATA");
      c.raw("Subject: x\r\nMessage-ID: <x@example.org>\r\n\r\n" + "body\r\n".repeat(40) + ".\r\n");
      String reply = c.reply();
      assertThat(c.command("NOOP")).startsWith("250");
      return reply;
    }
  }

  @Test
  void aMessageInTheSpoolIsAcknowledgedEvenWhenTheEngineDoesNotTakeIt(@TempDir Path home)
      throws Exception {
    HostFixture host = new HostFixture(home, "");
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    try (Spool spool = Spool.open(config.spoolDir())) {
      SpoolOutbox outbox =
          new SpoolOutbox(
              spool,
              config,
              Clock.systemUTC(),
              item -> {
                throw new IllegalStateException("the engine is stopping");
              });
      String reply = sendOne(outbox);
      assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
      assertThat(spool.list()).hasSize(1);
      assertThat(reply).endsWith(spool.list().get(0).id().toString());
    }
  }

  @Test
  void aFullSpoolGets451AndKeepsNothing(@TempDir Path home) throws Exception {
    HostFixture host = new HostFixture(home, "");
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    try (Spool spool =
        Spool.open(config.spoolDir(), SpoolOptions.builder().maxBytes(100).build())) {
      SpoolOutbox outbox = new SpoolOutbox(spool, config, Clock.systemUTC(), item -> {});
      assertThat(sendOne(outbox)).startsWith("451 4.3.0 Not queued: the spool is full");
      assertThat(spool.list()).isEmpty();
    }
  }

  @Test
  void anUnexpectedFailureInTheOutboxGets451() throws Exception {
    Outbox failing =
        new Outbox() {
          @Override
          public ItemId submit(Envelope envelope, InputStream message) {
            throw new IllegalStateException("broken");
          }

          @Override
          public long sizeLimit() {
            return LIMIT;
          }
        };
    assertThat(sendOne(failing)).startsWith("451 4.3.0 Not queued");
  }

  @Test
  void onlyLoopbackAddressesCanBeBound() {
    assertThatThrownBy(
            () ->
                SubmissionServer.start(
                    new InetSocketAddress("0.0.0.0", 0), outbox, "x", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only to loopback");
  }
}
