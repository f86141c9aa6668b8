package io.twinpath.core.smtp;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.internal.AngusSmtpSender;
import java.io.InputStream;
import java.util.Set;

/**
 * Sends an item's exact bytes over one path, one attempt per call, and says what happened. It never
 * throws for SMTP or network failures: they come back classified in the {@link SendResult}.
 * Thread-safe; each call uses its own connection.
 */
public interface SmtpSender {
  /** A sender over Jakarta Mail (Angus) with these settings. */
  static SmtpSender create(SmtpSettings settings) {
    return new AngusSmtpSender(settings);
  }

  /**
   * One attempt: connect, TLS, AUTH, MAIL FROM, one RCPT TO per recipient not in {@code
   * alreadyAccepted}, DATA with the bytes of {@code message} exactly as they are, the final dot.
   *
   * @param item the item's envelope and size
   * @param message the item's exact bytes (e.g. {@code spool.openMessage(id)}); read to the end,
   *     not closed. A read failure aborts the attempt before the final dot.
   * @param alreadyAccepted recipients never to send to again (accepted, or rejected for good, in
   *     earlier attempts: {@link SendResult#settled()}); they are reported as {@link
   *     RecipientResult.Status#ALREADY_ACCEPTED}
   */
  default SendResult send(OutboundItem item, InputStream message, Set<String> alreadyAccepted) {
    return send(item, message, alreadyAccepted, CommitGate.ALWAYS);
  }

  /**
   * The same attempt, asking {@code gate} after the last byte and before the final dot whether to
   * commit (see {@link CommitGate}).
   */
  SendResult send(
      OutboundItem item, InputStream message, Set<String> alreadyAccepted, CommitGate gate);

  /** The settings of this path. */
  SmtpSettings settings();
}
