package io.twinpath.core.engine;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The result of one attempt on one path.
 *
 * @param outcome the overall class
 * @param reply the server's reply text, or the network error in words
 * @param accepted recipients the server accepted in this attempt
 * @param refused recipients the server refused for good in this attempt, with its reply
 */
public record AttemptResult(
    Outcome outcome, String reply, Set<String> accepted, Map<String, String> refused) {
  /** The overall class of an attempt. */
  public enum Outcome {
    DELIVERED,
    TEMPORARY,
    PERMANENT,
    AMBIGUOUS
  }

  public AttemptResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reply, "reply");
    accepted = Set.copyOf(accepted);
    refused = Map.copyOf(refused);
  }

  public static AttemptResult delivered(String reply, Set<String> accepted) {
    return new AttemptResult(Outcome.DELIVERED, reply, accepted, Map.of());
  }

  public static AttemptResult temporary(String reason) {
    return new AttemptResult(Outcome.TEMPORARY, reason, Set.of(), Map.of());
  }

  public static AttemptResult ambiguous(String reason) {
    return new AttemptResult(Outcome.AMBIGUOUS, reason, Set.of(), Map.of());
  }

  public static AttemptResult permanent(String reply, Map<String, String> refused) {
    return new AttemptResult(Outcome.PERMANENT, reply, Set.of(), refused);
  }
}
