package io.twinpath.hw.modem.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the reader thread hands to the exchange waiting for it: lines, payloads and signals. */
final class Inbox {
  private static final Logger LOG = LoggerFactory.getLogger(AtEngine.class);

  record LineEv(String line) {}

  record PayloadEv(String header, byte[] data) {}

  enum Signal {
    PROMPT,
    BROKEN
  }

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

  void add(Object ev) {
    queue.add(ev);
  }

  /** The next event within {@code nanos}, or null. */
  @Nullable Object poll(long nanos) throws InterruptedException {
    return queue.poll(nanos, TimeUnit.NANOSECONDS);
  }

  void clear() {
    queue.clear();
  }

  /** Drops what came late for an earlier command; keeps a broken line signalled. */
  void drainStale() {
    Object ev;
    while ((ev = queue.poll()) != null) {
      if (ev instanceof LineEv l) {
        LOG.debug("late line dropped before the next command: {}", AtText.printable(l.line()));
      } else if (ev == Signal.BROKEN) {
        queue.add(ev);
        return;
      }
    }
  }
}
