package io.twinpath.core.engine;

import java.time.Duration;

/**
 * Runs tasks after a delay: backoff, takeover, sync and expiry timers. The default runs on a daemon
 * thread; tests may drive a manual one.
 */
public interface Scheduler {
  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    void cancel();
  }

  Cancellable schedule(Duration delay, Runnable task);
}
