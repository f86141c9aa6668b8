package io.twinpath.core.engine;

import java.util.Objects;

/**
 * What an operation a person asked for ({@link Coordinator#attemptNow}, {@link Coordinator#cancel})
 * did: whether it was done, and one sentence saying what happened or why not.
 *
 * @param done true when the engine acted
 * @param message one sentence for the person who asked
 */
public record OperationResult(boolean done, String message) {
  public OperationResult {
    Objects.requireNonNull(message, "message");
  }
}
