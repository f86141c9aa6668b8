package io.twinpath.core.smtp;

import java.util.Objects;

/**
 * What happened to one recipient in one attempt.
 *
 * @param address the envelope recipient
 * @param status see {@link Status}
 * @param replyCode the server's reply code that decided it, or -1 when there was none
 * @param reply the server's reply text (may be several lines), or a short explanation
 */
public record RecipientResult(String address, Status status, int replyCode, String reply) {
  /** The state of one recipient after an attempt. */
  public enum Status {
    /** The server took the message for this recipient in this attempt. Never send to it again. */
    ACCEPTED,
    /** Accepted in an earlier attempt, so not sent to now. */
    ALREADY_ACCEPTED,
    /** Refused for good (5xx): nobody retries it. */
    REJECTED,
    /** Not delivered, may be retried (a temporary failure, or the attempt stopped before it). */
    PENDING,
    /**
     * Accepted at RCPT, but the reply to the final dot was lost: maybe delivered. Retried, and
     * counted as a possible duplicate.
     */
    UNCERTAIN
  }

  public RecipientResult {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reply, "reply");
  }
}
