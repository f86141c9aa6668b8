package io.twinpath.core.engine;

import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.MalformedCommandException;

/** Handles verified commands of another part of the product carried by the engine's link. */
@FunctionalInterface
public interface CommandHandler {
  /**
   * Called on the engine thread; must return quickly. Throw {@link MalformedCommandException} to
   * have the command refused and reported like any other malformed command.
   */
  void handle(Command command) throws MalformedCommandException;
}
