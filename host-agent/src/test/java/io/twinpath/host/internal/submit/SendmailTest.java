package io.twinpath.host.internal.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.host.internal.config.XdgDirs;
import io.twinpath.host.testing.RecordingOutbox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sendmail command's flags and exit statuses, one row per case. */
class SendmailTest {
  @TempDir static Path home;

  /**
   * One row: the arguments, standard input, the exit status, then for a queued message the envelope
   * sender, recipients and exact bytes queued; for a refusal a part of the error.
   */
  record Case(
      String name,
      List<String> args,
      String stdin,
      int exit,
      @Nullable String sender,
      List<String> recipients,
      @Nullable String queued,
      @Nullable String error,
      SubmitException.@Nullable Kind outboxFails) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String MSG =
      "From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: hi\n\nhello\n";
  private static final String MSG_CRLF =
      "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nhello\r\n";

  private static Case ok(
      String name, List<String> args, String in, String sender, List<String> rcpts, String out) {
    return new Case(name, args, in, 0, sender, rcpts, out, null, null);
  }

  private static Case fails(String name, List<String> args, String in, int exit, String error) {
    return new Case(name, args, in, exit, null, List.of(), null, error, null);
  }

  static Stream<Case> cases() {
    return Stream.of(
        ok(
            "recipient argument, sender from the From field, LF stored as CRLF",
            List.of("bob@example.org"),
            MSG,
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF),
        ok(
            "CRLF input is kept as it is",
            List.of("bob@example.org"),
            MSG_CRLF,
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF),
        ok(
            "without -i a lone dot ends the message and the rest is not read",
            List.of("-f", "alice@example.org", "bob@example.org"),
            "Subject: dots\n\nline 1\n.\nnot part of it\n",
            "alice@example.org",
            List.of("bob@example.org"),
            "From: alice@example.org\r\nSubject: dots\r\n\r\nline 1\r\n"),
        ok(
            "without -i a lone dot with CRLF ends the message too",
            List.of("-f", "alice@example.org", "bob@example.org"),
            "Subject: dots\r\n\r\nline 1\r\n.\r\nnot part of it\r\n",
            "alice@example.org",
            List.of("bob@example.org"),
            "From: alice@example.org\r\nSubject: dots\r\n\r\nline 1\r\n"),
        ok(
            "with -i a lone dot is an ordinary line",
            List.of("-i", "bob@example.org"),
            MSG + ".\nafter the dot\n",
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF + ".\r\nafter the dot\r\n"),
        ok(
            "-oi is the same as -i",
            List.of("-oi", "bob@example.org"),
            MSG + ".\nafter\n",
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF + ".\r\nafter\r\n"),
        ok(
            "lines with two dots or a dot and text are kept as they are",
            List.of("bob@example.org"),
            MSG + "..\n.hidden\n. \n",
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF + "..\r\n.hidden\r\n. \r\n"),
        ok(
            "-t takes To, Cc and Bcc, adds argument recipients, and removes Bcc",
            List.of("-t", "dave@example.org"),
            "From: alice@example.org\nTo: Bob <bob@example.org>, carol@example.org\n"
                + "Cc: \"Eve, E.\" <eve@example.org>\nBcc: secret@example.org,\n"
                + " other@example.org\nSubject: t\n\nbody\n",
            "alice@example.org",
            List.of(
                "dave@example.org",
                "bob@example.org",
                "carol@example.org",
                "eve@example.org",
                "secret@example.org",
                "other@example.org"),
            "From: alice@example.org\r\nTo: Bob <bob@example.org>, carol@example.org\r\n"
                + "Cc: \"Eve, E.\" <eve@example.org>\r\nSubject: t\r\n\r\nbody\r\n"),
        ok(
            "-t with a group and Resent- fields uses only the Resent- ones",
            List.of("-t"),
            "From: alice@example.org\nTo: team: x@example.org, y@example.org;\n"
                + "Resent-To: z@example.org\nSubject: r\n\nbody\n",
            "alice@example.org",
            List.of("z@example.org"),
            "From: alice@example.org\r\nTo: team: x@example.org, y@example.org;\r\n"
                + "Resent-To: z@example.org\r\nSubject: r\r\n\r\nbody\r\n"),
        ok(
            "8-bit UTF-8 headers and body are kept byte for byte",
            List.of("-t", "-i"),
            "From: Jörg Müller <joerg@example.org>\nTo: Zoë <zoë@example.org>\n"
                + "Subject: Grüße, ünïcödé ✓\n\nKörper\n",
            "joerg@example.org",
            List.of("zoë@example.org"),
            "From: Jörg Müller <joerg@example.org>\r\nTo: Zoë <zoë@example.org>\r\n"
                + "Subject: Grüße, ünïcödé ✓\r\n\r\nKörper\r\n"),
        ok(
            "-f sets the envelope sender; the From field stays",
            List.of("-fbounce@example.org", "bob@example.org"),
            MSG,
            "bounce@example.org",
            List.of("bob@example.org"),
            MSG_CRLF),
        ok(
            "-f <> is the null sender",
            List.of("-f", "<>", "bob@example.org"),
            MSG,
            "",
            List.of("bob@example.org"),
            MSG_CRLF),
        ok(
            "-F names the sender of an added From field",
            List.of("-f", "alice@example.org", "-F", "Alice Liddell", "bob@example.org"),
            "Subject: no from\n\nbody\n",
            "alice@example.org",
            List.of("bob@example.org"),
            "From: Alice Liddell <alice@example.org>\r\nSubject: no from\r\n\r\nbody\r\n"),
        ok(
            "-F with non-ASCII is encoded in the added From",
            List.of("-f", "alice@example.org", "-FJörg", "bob@example.org"),
            "Subject: x\n\nbody\n",
            "alice@example.org",
            List.of("bob@example.org"),
            "From: =?UTF-8?Q?J=C3=B6rg?= <alice@example.org>\r\nSubject: x\r\n\r\nbody\r\n"),
        ok(
            "delivery and reporting options are accepted and ignored",
            List.of(
                "-oem",
                "-odb",
                "-oQ/tmp",
                "-N",
                "never",
                "-R",
                "hdrs",
                "-v",
                "-G",
                "-U",
                "-Lsm",
                "-V",
                "envid",
                "-O",
                "x=y",
                "-ti",
                "bob@example.org"),
            MSG,
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF),
        ok(
            "-- ends the options",
            List.of("-i", "--", "bob@example.org"),
            MSG,
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF),
        ok(
            "an mbox From_ line at the start is dropped",
            List.of("bob@example.org"),
            "From alice@example.org Thu Nov 26 10:00:00 2026\n" + MSG,
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF),
        ok(
            "a last line without newline gets CRLF",
            List.of("bob@example.org"),
            MSG + "no newline",
            "alice@example.org",
            List.of("bob@example.org"),
            MSG_CRLF + "no newline\r\n"),
        ok(
            "comma-separated recipients in one argument",
            List.of("bob@example.org, carol@example.org"),
            MSG,
            "alice@example.org",
            List.of("bob@example.org", "carol@example.org"),
            MSG_CRLF),
        fails("no recipients and no -t", List.of(), MSG, 64, "no recipients; give addresses"),
        fails(
            "-t and no address in the header",
            List.of("-t"),
            "From: alice@example.org\nSubject: x\n\nbody\n",
            65,
            "-t found no address in To, Cc or Bcc"),
        fails(
            "-t with a malformed To",
            List.of("-t"),
            "From: alice@example.org\nTo: bob@@example..org <\n\nbody\n",
            65,
            "the recipient address 'bob@@example..org <'"),
        fails("unknown option", List.of("-Z", "bob@example.org"), MSG, 64, "unknown option -Z"),
        fails("-f without a value", List.of("-f"), MSG, 64, "option -f needs a value"),
        fails(
            "a recipient argument that is not an address",
            List.of("bob"),
            MSG,
            64,
            "the recipient address 'bob' is not of the form local-part@domain"),
        fails(
            "no sender anywhere",
            List.of("bob@example.org"),
            "Subject: x\n\nbody\n",
            64,
            "no sender; give -f ADDRESS"),
        fails(
            "-bs is not offered",
            List.of("-bs"),
            "",
            64,
            "-bs (SMTP on standard input) is not supported"),
        fails("-q is not needed", List.of("-q"), "", 64, "-q (run the queue) is not needed"),
        fails(
            "a config file that does not exist",
            List.of("-C", "/nonexistent/host.conf", "bob@example.org"),
            MSG,
            78,
            "the config file /nonexistent/host.conf does not exist"),
        fails(
            "a message over the size limit",
            List.of("-C", "SMALL", "bob@example.org"),
            MSG + "x".repeat(2000) + "\n",
            65,
            "larger than the size limit of 1024 bytes"),
        new Case(
            "a spool that cannot be created",
            List.of("bob@example.org"),
            MSG,
            73,
            null,
            List.of(),
            null,
            "not queued",
            SubmitException.Kind.CANNOT_CREATE),
        new Case(
            "a passing failure of the spool",
            List.of("bob@example.org"),
            MSG,
            75,
            null,
            List.of(),
            null,
            "not queued",
            SubmitException.Kind.TEMPORARY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sendmailFlagsAndExitStatuses(Case c) throws Exception {
    Path small = home.resolve("small.conf");
    Files.writeString(small, "twinpath\nsize_limit 1K\n");
    List<String> args = c.args.stream().map(a -> a.equals("SMALL") ? small.toString() : a).toList();
    RecordingOutbox outbox = new RecordingOutbox(25 * 1024 * 1024);
    if (c.outboxFails != null) {
      outbox.failWith(c.outboxFails);
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Sendmail sendmail =
        new Sendmail(
            XdgDirs.of(Map.of("HOME", home.toString()), "/"),
            config -> outbox,
            (config, o) -> {
              o.println("queue is empty");
              return 0;
            });
    int exit =
        sendmail.run(
            args,
            new ByteArrayInputStream(c.stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String errText = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("exit status; stderr: %s", errText).isEqualTo(c.exit);
    if (c.queued != null) {
      assertThat(outbox.submitted()).hasSize(1);
      RecordingOutbox.Submitted s = outbox.submitted().get(0);
      assertThat(s.envelope().mailFrom()).isEqualTo(c.sender);
      assertThat(s.envelope().recipients()).containsExactlyElementsOf(c.recipients);
      assertThat(new String(s.bytes(), StandardCharsets.UTF_8)).isEqualTo(c.queued);
      assertThat(Arrays.equals(s.bytes(), c.queued.getBytes(StandardCharsets.UTF_8))).isTrue();
    } else {
      assertThat(outbox.submitted()).isEmpty();
      assertThat(errText).startsWith("sendmail: ").contains(c.error);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("printQueueArgs")
  void bpListsTheQueue(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Sendmail sendmail =
        new Sendmail(
            XdgDirs.of(Map.of("HOME", home.toString()), "/"),
            config -> new RecordingOutbox(1024),
            (config, o) -> {
              o.println("queue of " + config.device());
              return 0;
            });
    int exit =
        sendmail.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("queue of laptop\n");
  }

  static Stream<List<String>> printQueueArgs() {
    return Stream.of(List.of("-bp"), List.of("-b", "p"));
  }
}
