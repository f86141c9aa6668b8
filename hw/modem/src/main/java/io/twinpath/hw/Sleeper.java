package io.twinpath.hw;

import java.time.Duration;

/**
 * Waits for a while. Pulse lengths, guard times and back-off go through this so tests run them
 * without sleeping.
 */
@FunctionalInterface
public interface Sleeper {
  /** The real thing: {@link Thread#sleep(long)}. */
  Sleeper SYSTEM = d -> Thread.sleep(Math.max(0, d.toMillis()));

  void sleep(Duration duration) throws InterruptedException;
}
