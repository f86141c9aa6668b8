package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine thread. Every state change of the engine runs on it; other threads hand work over with
 * {@link #call} (and wait for the answer) or {@link #post} (and go on). It is also the default
 * {@link Scheduler} of the engine's timers.
 */
public final class EngineLoop implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(EngineLoop.class);

  private final DeviceId self;
  private final ScheduledExecutorService exec;
  private volatile boolean closed;

  public EngineLoop(DeviceId self) {
    this.self = self;
    String name = "twinpath-" + self.value() + "-engine";
    this.exec =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /** True once the engine began to stop: nothing more is sent or accepted. */
  public boolean isClosed() {
    return closed;
  }

  /** Runs {@code task} on the engine thread and returns its answer (within 30 s). */
  public <T> T call(Callable<T> task) {
    if (closed) {
      throw new IllegalStateException("the coordinator of " + self + " is closed");
    }
    try {
      return exec.submit(task).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof IOException) {
        throw new UncheckedIOException((IOException) c);
      }
      throw new IllegalStateException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the engine of " + self + " did not answer in 30 s", e);
    }
  }

  /** Runs {@code task} on the engine thread later; a task that throws is logged. */
  public void post(Runnable task) {
    if (closed) {
      return;
    }
    try {
      exec.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.error("{}: engine task failed", self, e);
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("{}: engine stopped; task dropped", self);
    }
  }

  /**
   * Runs {@code task} on the engine thread and waits until it ended (the link's receive thread
   * does, so that the broker's acknowledgement follows the handling).
   */
  void runAndWait(Runnable task, String what) {
    if (closed) {
      return;
    }
    try {
      exec.submit(
              () -> {
                try {
                  task.run();
                } catch (RuntimeException e) {
                  LOG.error("{}: handling {} failed", self, what, e);
                }
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RejectedExecutionException e) {
      LOG.debug("{}: {} not handled: {}", self, what, e.toString());
    }
  }

  /** Runs {@code task} on the engine thread every {@code every}, first after {@code first}. */
  void every(Duration first, Duration every, String what, Runnable task) {
    exec.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.error("{}: {} failed", self, what, e);
          }
        },
        first.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    try {
      ScheduledFuture<?> f = exec.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> {};
    }
  }

  /** Marks the engine closed: from now on nothing is sent, posted or called. */
  void markClosed() {
    closed = true;
  }

  /** Stops the engine thread (tasks not begun are dropped) and waits up to 5 s for it. */
  void stop() {
    exec.shutdownNow();
    try {
      exec.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
