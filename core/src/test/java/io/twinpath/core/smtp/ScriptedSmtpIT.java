package io.twinpath.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.RecipientResult.Status;
import io.twinpath.core.smtp.SendResult.Outcome;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reply class at every stage, against a scripted lock-step SMTP peer. */
class ScriptedSmtpIT {
  private ScriptedSmtpServer server;
  private byte[] bytes;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedSmtpServer();
    bytes = TestMessages.tricky();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private SmtpSender sender() {
    return SmtpSender.create(
        SmtpSettings.builder()
            .host("127.0.0.1")
            .port(server.port())
            .tls(TlsMode.NONE)
            .credentials("me", "pw"::toCharArray)
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(5))
            .build());
  }

  private SendResult send(OutboundItem item, Set<String> done) {
    return sender().send(item, new ByteArrayInputStream(bytes), done);
  }

  @Test
  void sendsTheExactBytesWithOneRcptPerRecipient() {
    server.script.user = "me";
    server.script.password = "pw";
    OutboundItem item = TestMessages.item(bytes, "a@y.org", "b@y.org");
    SendResult r = send(item, Set.of());
    assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(r.replyCode()).isEqualTo(250);
    assertThat(r.serverReply()).contains("queued as 4711");
    assertThat(r.stage()).isEqualTo(SmtpStage.DONE);
    assertThat(r.accepted()).containsExactly("a@y.org", "b@y.org");
    assertThat(server.messages).hasSize(1);
    assertThat(server.messages.get(0)).isEqualTo(bytes);
    assertThat(server.commands)
        .containsSubsequence(
            "AUTH",
            "MAIL FROM:<me@x.org> SIZE=" + bytes.length + " BODY=8BITMIME",
            "RCPT TO:<a@y.org>",
            "RCPT TO:<b@y.org>",
            "DATA");
  }

  @Test
  void neverSendsToAnAlreadyAcceptedRecipient() {
    OutboundItem item = TestMessages.item(bytes, "a@y.org", "b@y.org", "c@y.org");
    SendResult r = send(item, Set.of("b@y.org"));
    assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(r.recipients())
        .extracting(RecipientResult::status)
        .containsExactly(Status.ACCEPTED, Status.ALREADY_ACCEPTED, Status.ACCEPTED);
    assertThat(server.commands).doesNotContain("RCPT TO:<b@y.org>");
    SendResult none = send(item, Set.of("a@y.org", "b@y.org", "c@y.org"));
    assertThat(none.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(server.messages).hasSize(1);
  }

  @Test
  void oneRejectedRecipientOfThreeIsReportedAndTheOthersDelivered() {
    server.script.rcpt.put("b@y.org", "550 5.1.1 <b@y.org>: mailbox unknown");
    OutboundItem item = TestMessages.item(bytes, "a@y.org", "b@y.org", "c@y.org");
    SendResult r = send(item, Set.of());
    assertThat(r.outcome()).isEqualTo(Outcome.PERMANENT);
    assertThat(r.accepted()).containsExactly("a@y.org", "c@y.org");
    assertThat(r.rejected()).containsExactly("b@y.org");
    assertThat(r.pending()).isEmpty();
    assertThat(r.settled()).containsExactly("a@y.org", "b@y.org", "c@y.org");
    RecipientResult b = r.recipients().get(1);
    assertThat(b.replyCode()).isEqualTo(550);
    assertThat(b.reply()).contains("mailbox unknown");
    assertThat(r.reason()).contains("b@y.org rejected: 550 5.1.1");
    assertThat(server.messages).hasSize(1);
  }

  @Test
  void aDeferredRecipientStaysPendingWhileTheOthersAreDelivered() {
    server.script.rcpt.put("b@y.org", "452 4.5.3 too many recipients");
    server.script.rcpt.put("c@y.org", "552 5.5.3 too many recipients (old style)");
    OutboundItem item = TestMessages.item(bytes, "a@y.org", "b@y.org", "c@y.org");
    SendResult r = send(item, Set.of());
    assertThat(r.outcome()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.accepted()).containsExactly("a@y.org");
    assertThat(r.pending()).containsExactly("b@y.org", "c@y.org");
    SendResult next = send(item, r.settled());
    assertThat(next.recipients())
        .extracting(RecipientResult::status)
        .containsExactly(Status.ALREADY_ACCEPTED, Status.PENDING, Status.PENDING);
    assertThat(server.commands.stream().filter(c -> c.equals("RCPT TO:<a@y.org>"))).hasSize(1);
  }

  static Stream<Arguments> replies() {
    return Stream.of(
        row(
            "421 greeting",
            s -> s.greeting = "421 4.3.2 busy",
            Outcome.TEMPORARY,
            SmtpStage.GREETING),
        row(
            "554 greeting",
            s -> s.greeting = "554 5.7.1 no service for your address",
            Outcome.TEMPORARY,
            SmtpStage.GREETING),
        row(
            "535 auth",
            s -> s.auth = "535 5.7.8 bad credentials",
            Outcome.PERMANENT,
            SmtpStage.AUTH),
        row("454 auth", s -> s.auth = "454 4.7.0 try later", Outcome.TEMPORARY, SmtpStage.AUTH),
        row("451 mail", s -> s.mail = "451 4.3.0 local error", Outcome.TEMPORARY, SmtpStage.MAIL),
        row(
            "550 mail",
            s -> s.mail = "550 5.7.1 sender refused",
            Outcome.PERMANENT,
            SmtpStage.MAIL),
        row("552 mail size", s -> s.mail = "552 5.3.4 too big", Outcome.PERMANENT, SmtpStage.MAIL),
        row(
            "450 rcpt",
            s -> s.rcptDefault = "450 4.2.0 greylisted",
            Outcome.TEMPORARY,
            SmtpStage.RCPT),
        row(
            "550 rcpt",
            s -> s.rcptDefault = "550 5.1.1 unknown",
            Outcome.PERMANENT,
            SmtpStage.RCPT),
        row("451 data", s -> s.data = "451 4.3.0 try later", Outcome.TEMPORARY, SmtpStage.DATA),
        row(
            "554 data",
            s -> s.data = "554 5.5.1 no valid recipients",
            Outcome.PERMANENT,
            SmtpStage.DATA),
        row(
            "452 dot",
            s -> s.afterDot = "452 4.3.1 disk full",
            Outcome.TEMPORARY,
            SmtpStage.FINAL_REPLY),
        row(
            "552 dot size",
            s -> s.afterDot = "552 5.3.4 message too big",
            Outcome.PERMANENT,
            SmtpStage.FINAL_REPLY),
        row(
            "554 dot",
            s -> s.afterDot = "554 5.7.1 spam",
            Outcome.PERMANENT,
            SmtpStage.FINAL_REPLY),
        row("closed after dot", s -> s.afterDot = null, Outcome.AMBIGUOUS, SmtpStage.FINAL_REPLY),
        row(
            "no AUTH offered",
            s -> s.extensions = List.of("8BITMIME"),
            Outcome.TEMPORARY,
            SmtpStage.EHLO));
  }

  private static Arguments row(
      String name, Consumer<ScriptedSmtpServer.Script> script, Outcome outcome, SmtpStage stage) {
    return Arguments.of(name, script, outcome, stage);
  }

  @ParameterizedTest(name = "{0} -> {2} at {3}")
  @MethodSource("replies")
  void classifiesEveryReplyAtEveryStage(
      String name, Consumer<ScriptedSmtpServer.Script> script, Outcome outcome, SmtpStage stage) {
    script.accept(server.script);
    OutboundItem item = TestMessages.item(bytes, "a@y.org", "b@y.org");
    SendResult r = send(item, Set.of());
    assertThat(r.outcome()).as(r.toString()).isEqualTo(outcome);
    assertThat(r.stage()).as(r.toString()).isEqualTo(stage);
    if (outcome == Outcome.PERMANENT) {
      assertThat(r.rejected()).containsExactly("a@y.org", "b@y.org");
      assertThat(r.recipients().get(0).reply()).isNotBlank();
    } else if (outcome == Outcome.AMBIGUOUS) {
      assertThat(r.possibleDuplicate()).isTrue();
      assertThat(r.recipients()).extracting(RecipientResult::status).containsOnly(Status.UNCERTAIN);
      assertThat(server.messages).hasSize(1); // the server did get it
    } else {
      assertThat(r.pending()).containsExactly("a@y.org", "b@y.org");
    }
    if (stage.compareTo(SmtpStage.FINAL_REPLY) < 0) {
      assertThat(server.messages).isEmpty();
    }
    if (r.replyCode() > 0) {
      assertThat(r.serverReply()).startsWith(String.valueOf(r.replyCode()));
    }
  }

  @Test
  void aMessageThatCannotBeReadIsNeverCommitted() {
    OutboundItem item = TestMessages.item(bytes, "a@y.org");
    InputStream broken =
        new InputStream() {
          private int served;

          @Override
          public int read() throws IOException {
            if (served++ > 5000) {
              throw new IOException("disk read error");
            }
            return 'a';
          }
        };
    SendResult r = sender().send(item, broken, Set.of());
    assertThat(r.outcome()).isEqualTo(Outcome.TEMPORARY);
    assertThat(r.stage()).isEqualTo(SmtpStage.BODY);
    assertThat(r.reason()).contains("could not be read").contains("disk read error");
    assertThat(server.messages).isEmpty();
  }

  @Test
  void bindsToTheConfiguredLocalAddress() throws Exception {
    SmtpSender s =
        SmtpSender.create(
            SmtpSettings.builder()
                .host("127.0.0.1")
                .port(server.port())
                .tls(TlsMode.NONE)
                .localAddress(java.net.InetAddress.getByName("127.0.0.7"))
                .build());
    SendResult r =
        s.send(TestMessages.item(bytes, "a@y.org"), new ByteArrayInputStream(bytes), Set.of());
    assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(server.peers)
        .extracting(java.net.InetAddress::getHostAddress)
        .containsExactly("127.0.0.7");
  }

  @Test
  void theCommitGateIsAskedOnceBeforeTheFinalDotAndCanStandDown() {
    OutboundItem item = TestMessages.item(bytes, "a@y.org");
    java.util.List<OutboundItem> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    SendResult declined =
        sender()
            .send(
                item,
                new ByteArrayInputStream(bytes),
                Set.of(),
                i -> {
                  asked.add(i);
                  return false;
                });
    assertThat(asked).containsExactly(item);
    assertThat(declined.outcome()).isEqualTo(Outcome.TEMPORARY);
    assertThat(declined.reason()).contains("stood down before the final dot");
    assertThat(declined.pending()).containsExactly("a@y.org");
    assertThat(server.commands).contains("DATA");
    assertThat(server.messages).isEmpty();

    SendResult granted = sender().send(item, new ByteArrayInputStream(bytes), Set.of(), i -> true);
    assertThat(granted.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(server.messages).containsExactly(bytes);
  }
}
