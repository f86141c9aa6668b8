package io.twinpath.core.smtp;

import io.twinpath.core.smtp.SendResult.Outcome;
import jakarta.mail.AuthenticationFailedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a failed (or finished) SMTP step means: {@link Outcome#TEMPORARY} (another path or a
 * later attempt may succeed: fail over), {@link Outcome#PERMANENT} (nobody retries), or {@link
 * Outcome#AMBIGUOUS} (the final dot went out and its reply was lost). The table is in {@code
 * docs/PROTOCOL.md}, "Failure classes".
 *
 * <p>The rules, in short: every network failure (refused, timed out, unknown host, reset, TLS
 * handshake or certificate failure) is temporary, except after the final dot, where it is
 * ambiguous. 4xx replies are temporary. 5xx replies to MAIL, RCPT, DATA and the final dot are
 * permanent (552 to RCPT is temporary, RFC 5321 4.5.3.1.10), and so are 5xx replies to AUTH (the
 * same credentials fail on every path). 5xx to the greeting, EHLO or STARTTLS are temporary: they
 * refuse this connection (its source address, a middlebox), which another path can fix.
 */
public final class FailureClassifier {
  private FailureClassifier() {}

  /**
   * A classification.
   *
   * @param outcome the class
   * @param reason a sentence for logs, status and the user
   */
  public record Verdict(Outcome outcome, String reason) {
    public Verdict {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Classifies a server reply at a stage. {@code code} -1 means the server closed the connection
   * (or sent something unparsable) instead of replying.
   */
  public static Verdict reply(SmtpStage stage, int code, String text) {
    Objects.requireNonNull(stage, "stage");
    String said = text == null || text.isBlank() ? String.valueOf(code) : oneLine(text);
    if (code == -1) {
      return stage == SmtpStage.FINAL_REPLY
          ? new Verdict(
              Outcome.AMBIGUOUS,
              "the server closed the connection after the final dot without replying; the"
                  + " message may have been delivered")
          : new Verdict(
              Outcome.TEMPORARY,
              "the server closed the connection during " + name(stage) + " without replying");
    }
    int klass = code / 100;
    if (klass == 2 || klass == 3) {
      return new Verdict(Outcome.DELIVERED, name(stage) + " accepted: " + said);
    }
    if (klass == 4) {
      return new Verdict(Outcome.TEMPORARY, name(stage) + " refused for now: " + said);
    }
    if (klass != 5) {
      return new Verdict(Outcome.TEMPORARY, "unexpected reply to " + name(stage) + ": " + said);
    }
    switch (stage) {
      case GREETING:
      case EHLO:
      case STARTTLS:
        return new Verdict(
            Outcome.TEMPORARY,
            "the server refused this connection at "
                + name(stage)
                + " (it may depend on the network path): "
                + said);
      case AUTH:
        return new Verdict(
            Outcome.PERMANENT,
            "authentication rejected; the same credentials fail on every path: " + said);
      case RCPT:
        if (code == 552) {
          return new Verdict(
              Outcome.TEMPORARY, "recipient deferred (552 to RCPT is temporary): " + said);
        }
        return new Verdict(Outcome.PERMANENT, "recipient rejected: " + said);
      case MAIL:
      case DATA:
      case FINAL_REPLY:
      case BODY:
        return new Verdict(
            Outcome.PERMANENT,
            (code == 552 ? "message too large for the server: " : name(stage) + " rejected: ")
                + said);
      default:
        return new Verdict(Outcome.TEMPORARY, "unexpected reply at " + name(stage) + ": " + said);
    }
  }

  /** Classifies an exception thrown at a stage (no server reply decided it). */
  public static Verdict exception(SmtpStage stage, Throwable error) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(error, "error");
    String detail = describe(error);
    if (stage == SmtpStage.FINAL_REPLY) {
      return new Verdict(
          Outcome.AMBIGUOUS,
          "no reply to the final dot ("
              + detail
              + "); the message may have been delivered and is counted as a possible duplicate");
    }
    if (find(error, LocalReadException.class) != null) {
      return new Verdict(
          Outcome.TEMPORARY,
          "the queued message could not be read, nothing was committed: " + detail);
    }
    if (find(error, UnknownHostException.class) != null) {
      return new Verdict(Outcome.TEMPORARY, "the server's host name did not resolve: " + detail);
    }
    if (find(error, ConnectException.class) != null) {
      return new Verdict(Outcome.TEMPORARY, "connection refused: " + detail);
    }
    if (find(error, NoRouteToHostException.class) != null) {
      return new Verdict(Outcome.TEMPORARY, "no route to the server: " + detail);
    }
    if (find(error, SocketTimeoutException.class) != null) {
      return new Verdict(
          Outcome.TEMPORARY,
          stage == SmtpStage.CONNECT
              ? "connect timed out: " + detail
              : "the server did not answer in time during " + name(stage) + ": " + detail);
    }
    if (find(error, CertificateException.class) != null
        || find(error, java.security.cert.CertPathValidatorException.class) != null) {
      return new Verdict(
          Outcome.TEMPORARY,
          "the server's TLS certificate is not trusted or does not match its name: " + detail);
    }
    if (find(error, SSLException.class) != null) {
      return new Verdict(Outcome.TEMPORARY, "TLS failed: " + detail);
    }
    String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("starttls is required")) {
      return new Verdict(
          Outcome.TEMPORARY,
          "the server did not offer STARTTLS (a network on the way may strip it); refusing to"
              + " send without TLS");
    }
    if (find(error, AuthenticationFailedException.class) != null) {
      return new Verdict(
          Outcome.PERMANENT, "authentication failed with these credentials: " + detail);
    }
    if (find(error, IOException.class) != null) {
      return new Verdict(
          Outcome.TEMPORARY,
          "connection lost during " + name(stage) + " (before the final dot): " + detail);
    }
    return new Verdict(
        Outcome.TEMPORARY, "unexpected failure during " + name(stage) + ": " + detail);
  }

  /** Wraps a failure to read the queued message (not the network) so it is classified as such. */
  public static final class LocalReadException extends IOException {
    private static final long serialVersionUID = 1L;

    public LocalReadException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static <T extends Throwable> @Nullable T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    // jakarta.mail.MessagingException keeps its cause in getNextException too
    for (Throwable c = t; c != null; ) {
      Throwable next =
          c instanceof jakarta.mail.MessagingException
              ? ((jakarta.mail.MessagingException) c).getNextException()
              : null;
      if (next == null || next == c) {
        break;
      }
      if (type.isInstance(next)) {
        return type.cast(next);
      }
      c = next;
    }
    return null;
  }

  /** The innermost message, with the exception kinds on the way, on one line. */
  static String describe(Throwable error) {
    StringBuilder b = new StringBuilder();
    Throwable c = error;
    String last = null;
    for (int depth = 0; c != null && depth < 6; depth++) {
      String m = c.getMessage();
      if (m != null && !m.isBlank() && !m.equals(last)) {
        if (b.length() > 0) {
          b.append(" / ");
        }
        b.append(c.getClass().getSimpleName()).append(": ").append(oneLine(m));
        last = m;
      }
      c = c.getCause() == c ? null : c.getCause();
    }
    return b.length() == 0 ? error.getClass().getSimpleName() : b.toString();
  }

  private static String oneLine(String s) {
    String t = s.strip().replace("\r", "").replace('\n', ' ');
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  private static String name(SmtpStage stage) {
    switch (stage) {
      case FINAL_REPLY:
        return "the final dot";
      case BODY:
        return "the message body";
      case TLS:
        return "the TLS handshake";
      default:
        return stage.name();
    }
  }
}
