package io.twinpath.core.wire;

import org.jspecify.annotations.Nullable;

/** A command refused before it reached the engine; the message is one sentence saying why. */
public final class RejectedCommandException extends Exception {
  private final @Nullable String claimedSender;

  public RejectedCommandException(@Nullable String claimedSender, String message) {
    super(message);
    this.claimedSender = claimedSender;
  }

  /** The sender the payload claimed, when it named one (not verified). */
  public @Nullable String claimedSender() {
    return claimedSender;
  }
}
