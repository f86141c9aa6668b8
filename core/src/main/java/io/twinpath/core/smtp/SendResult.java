package io.twinpath.core.smtp;

import io.twinpath.core.smtp.RecipientResult.Status;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of one send attempt over one path: overall {@link Outcome}, one {@link
 * RecipientResult} per envelope recipient, the server reply that decided it, a reason a person can
 * read, and the {@link SmtpStage} where the session ended. Immutable.
 */
public final class SendResult {
  /** What the attempt means for the item. */
  public enum Outcome {
    /** Every recipient has the message (now or in an earlier attempt). Done. */
    DELIVERED,
    /**
     * Some recipients are {@link Status#PENDING}: another attempt (on this or another path) may
     * succeed. Accepted and rejected recipients are settled.
     */
    TEMPORARY,
    /**
     * Nothing is pending and at least one recipient failed for good (5xx, size, authentication):
     * nobody retries; the user is told with the server's reply.
     */
    PERMANENT,
    /**
     * The final dot was sent and the reply was lost: the message may or may not have been
     * delivered. Retried (at-least-once) and counted as a possible duplicate.
     */
    AMBIGUOUS
  }

  private final Outcome outcome;
  private final List<RecipientResult> recipients;
  private final int replyCode;
  private final String serverReply;
  private final String reason;
  private final SmtpStage stage;
  private final Duration elapsed;

  private SendResult(
      Outcome outcome,
      List<RecipientResult> recipients,
      int replyCode,
      String serverReply,
      String reason,
      SmtpStage stage,
      Duration elapsed) {
    this.outcome = outcome;
    this.recipients = List.copyOf(recipients);
    this.replyCode = replyCode;
    this.serverReply = serverReply;
    this.reason = reason;
    this.stage = stage;
    this.elapsed = elapsed;
  }

  /**
   * Builds a result; {@code replyCode} -1 and an empty {@code serverReply} mean the server said
   * nothing that decided it (e.g. a network failure).
   */
  public static SendResult of(
      Outcome outcome,
      List<RecipientResult> recipients,
      int replyCode,
      String serverReply,
      String reason,
      SmtpStage stage,
      Duration elapsed) {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(recipients, "recipients");
    Objects.requireNonNull(serverReply, "serverReply");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(elapsed, "elapsed");
    return new SendResult(outcome, recipients, replyCode, serverReply, reason, stage, elapsed);
  }

  public Outcome outcome() {
    return outcome;
  }

  /** One result per envelope recipient, in envelope order. */
  public List<RecipientResult> recipients() {
    return recipients;
  }

  /** The reply code that decided the outcome (the reply to the final dot on success), or -1. */
  public int replyCode() {
    return replyCode;
  }

  /** The server's reply text that decided the outcome, or empty. */
  public String serverReply() {
    return serverReply;
  }

  /** Why, in a sentence, e.g. "connection refused by 192.0.2.1:587". */
  public String reason() {
    return reason;
  }

  /** Where the session ended. */
  public SmtpStage stage() {
    return stage;
  }

  /** Wall time of the attempt. */
  public Duration elapsed() {
    return elapsed;
  }

  /** True for {@link Outcome#AMBIGUOUS}: the message may have been delivered already. */
  public boolean possibleDuplicate() {
    return outcome == Outcome.AMBIGUOUS;
  }

  /** Recipients accepted in this attempt. */
  public Set<String> accepted() {
    return addresses(Status.ACCEPTED);
  }

  /** Recipients refused for good in this attempt. */
  public Set<String> rejected() {
    return addresses(Status.REJECTED);
  }

  /** Recipients still to send to: {@link Status#PENDING} and {@link Status#UNCERTAIN}. */
  public Set<String> pending() {
    Set<String> out = new LinkedHashSet<>(addresses(Status.PENDING));
    out.addAll(addresses(Status.UNCERTAIN));
    return out;
  }

  /**
   * Recipients that must never be sent to again: accepted now or before, and rejected. Pass this
   * (accumulated) as {@code alreadyDone} to the next attempt.
   */
  public Set<String> settled() {
    Set<String> out = new LinkedHashSet<>();
    for (RecipientResult r : recipients) {
      if (r.status() == Status.ACCEPTED
          || r.status() == Status.ALREADY_ACCEPTED
          || r.status() == Status.REJECTED) {
        out.add(r.address());
      }
    }
    return out;
  }

  private Set<String> addresses(Status s) {
    Set<String> out = new LinkedHashSet<>();
    for (RecipientResult r : recipients) {
      if (r.status() == s) {
        out.add(r.address());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return outcome
        + " at "
        + stage
        + (replyCode >= 0 ? " (" + replyCode + ")" : "")
        + ": "
        + reason
        + " "
        + recipients;
  }
}
