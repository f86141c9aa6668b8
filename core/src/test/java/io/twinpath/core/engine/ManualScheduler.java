package io.twinpath.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduler driven by the test: tasks run when {@link #advance} moves its time past them. A task
 * due at once runs at once (the coordinator schedules zero-delay attempts).
 */
final class ManualScheduler implements Scheduler {
  private final List<Entry> entries = new ArrayList<>();
  private long now;

  private static final class Entry {
    final long due;
    final Runnable task;
    boolean cancelled;

    Entry(long due, Runnable task) {
      this.due = due;
      this.task = task;
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    if (delay.isZero() || delay.isNegative()) {
      task.run();
      return () -> {};
    }
    Entry e = new Entry(now + delay.toMillis(), task);
    entries.add(e);
    return () -> {
      synchronized (ManualScheduler.this) {
        e.cancelled = true;
      }
    };
  }

  /** Tasks waiting (not cancelled, not yet due). */
  synchronized int pending() {
    return (int) entries.stream().filter(e -> !e.cancelled).count();
  }

  /** Moves time forward and runs what became due, in order. */
  void advance(Duration d) {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      now += d.toMillis();
      entries.sort((a, b) -> Long.compare(a.due, b.due));
      for (Entry e : new ArrayList<>(entries)) {
        if (e.due <= now) {
          entries.remove(e);
          if (!e.cancelled) {
            due.add(e.task);
          }
        }
      }
    }
    due.forEach(Runnable::run);
  }
}
