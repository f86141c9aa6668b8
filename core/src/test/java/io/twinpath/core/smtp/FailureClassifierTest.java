package io.twinpath.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.smtp.FailureClassifier.LocalReadException;
import io.twinpath.core.smtp.FailureClassifier.Verdict;
import io.twinpath.core.smtp.SendResult.Outcome;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The failure table of docs/PROTOCOL.md, row by row. */
class FailureClassifierTest {

  @ParameterizedTest(name = "{1} to {0} -> {2}")
  @CsvSource({
    // stage, code, outcome, words in the reason
    "GREETING, 421, TEMPORARY, refused for now",
    "GREETING, 554, TEMPORARY, may depend on the network path",
    "EHLO, 550, TEMPORARY, may depend on the network path",
    "STARTTLS, 454, TEMPORARY, refused for now",
    "STARTTLS, 501, TEMPORARY, refused this connection",
    "AUTH, 454, TEMPORARY, refused for now",
    "AUTH, 535, PERMANENT, same credentials fail on every path",
    "AUTH, 534, PERMANENT, authentication rejected",
    "MAIL, 421, TEMPORARY, refused for now",
    "MAIL, 451, TEMPORARY, refused for now",
    "MAIL, 550, PERMANENT, MAIL rejected",
    "MAIL, 552, PERMANENT, too large",
    "RCPT, 450, TEMPORARY, refused for now",
    "RCPT, 452, TEMPORARY, refused for now",
    "RCPT, 550, PERMANENT, recipient rejected",
    "RCPT, 553, PERMANENT, recipient rejected",
    "RCPT, 552, TEMPORARY, 552 to RCPT is temporary",
    "DATA, 451, TEMPORARY, refused for now",
    "DATA, 554, PERMANENT, DATA rejected",
    "FINAL_REPLY, 250, DELIVERED, accepted",
    "FINAL_REPLY, 451, TEMPORARY, refused for now",
    "FINAL_REPLY, 452, TEMPORARY, refused for now",
    "FINAL_REPLY, 552, PERMANENT, too large",
    "FINAL_REPLY, 554, PERMANENT, the final dot rejected",
    "FINAL_REPLY, -1, AMBIGUOUS, may have been delivered",
    "MAIL, -1, TEMPORARY, closed the connection during MAIL",
    "RCPT, 600, TEMPORARY, unexpected reply",
  })
  void replies(SmtpStage stage, int code, Outcome outcome, String words) {
    Verdict v = FailureClassifier.reply(stage, code, code + " server text");
    assertThat(v.outcome()).isEqualTo(outcome);
    assertThat(v.reason()).contains(words);
    if (code > 0) {
      assertThat(v.reason()).contains("server text");
    }
  }

  static Stream<Arguments> exceptions() {
    IOException reset = new SocketException("Connection reset");
    return Stream.of(
        row(
            SmtpStage.CONNECT,
            new ConnectException("Connection refused"),
            Outcome.TEMPORARY,
            "connection refused"),
        row(
            SmtpStage.CONNECT,
            new SocketTimeoutException("Connect timed out"),
            Outcome.TEMPORARY,
            "connect timed out"),
        row(
            SmtpStage.CONNECT,
            new UnknownHostException("smtp.nowhere.invalid"),
            Outcome.TEMPORARY,
            "did not resolve"),
        row(
            SmtpStage.CONNECT,
            new NoRouteToHostException("No route"),
            Outcome.TEMPORARY,
            "no route"),
        row(
            SmtpStage.TLS,
            handshake("PKIX path building failed", new CertificateException("unknown ca")),
            Outcome.TEMPORARY,
            "certificate is not trusted"),
        row(
            SmtpStage.STARTTLS,
            new MessagingException(
                "Could not convert socket to TLS", new SSLHandshakeException("handshake_failure")),
            Outcome.TEMPORARY,
            "TLS failed"),
        row(
            SmtpStage.EHLO,
            new MessagingException("STARTTLS is required but host does not support STARTTLS"),
            Outcome.TEMPORARY,
            "did not offer STARTTLS"),
        row(
            SmtpStage.AUTH,
            new AuthenticationFailedException(
                "No authentication mechanisms supported by both server and client"),
            Outcome.PERMANENT,
            "authentication failed"),
        row(
            SmtpStage.GREETING,
            new SocketTimeoutException("Read timed out"),
            Outcome.TEMPORARY,
            "did not answer in time during GREETING"),
        row(
            SmtpStage.MAIL,
            new MessagingException("Exception reading response", reset),
            Outcome.TEMPORARY,
            "connection lost during MAIL"),
        row(
            SmtpStage.RCPT,
            new MessagingException("Can't send command", reset),
            Outcome.TEMPORARY,
            "before the final dot"),
        row(
            SmtpStage.DATA,
            new EOFException("eof"),
            Outcome.TEMPORARY,
            "connection lost during DATA"),
        row(SmtpStage.BODY, reset, Outcome.TEMPORARY, "connection lost during the message body"),
        row(
            SmtpStage.BODY,
            new LocalReadException(new IOException("bad sector")),
            Outcome.TEMPORARY,
            "could not be read"),
        row(
            SmtpStage.FINAL_REPLY,
            new MessagingException("Exception reading response", reset),
            Outcome.AMBIGUOUS,
            "possible duplicate"),
        row(
            SmtpStage.FINAL_REPLY,
            new MessagingException(
                "Exception reading response", new SocketTimeoutException("Read timed out")),
            Outcome.AMBIGUOUS,
            "may have been delivered"),
        row(
            SmtpStage.MAIL,
            new IllegalStateException("odd"),
            Outcome.TEMPORARY,
            "unexpected failure"));
  }

  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  private static Arguments row(SmtpStage stage, Throwable t, Outcome outcome, String words) {
    return Arguments.of(stage, t, outcome, words);
  }

  @ParameterizedTest(name = "{1} at {0} -> {2}")
  @MethodSource("exceptions")
  void exceptions(SmtpStage stage, Throwable error, Outcome outcome, String words) {
    Verdict v = FailureClassifier.exception(stage, error);
    assertThat(v.outcome()).isEqualTo(outcome);
    assertThat(v.reason()).contains(words);
  }

  @Test
  void reasonsAreOneLineAndBounded() {
    Verdict v =
        FailureClassifier.reply(
            SmtpStage.RCPT, 550, "550-first\n550-second\n550 " + "x".repeat(1000));
    assertThat(v.reason()).doesNotContain("\n").hasSizeLessThan(400);
  }
}
