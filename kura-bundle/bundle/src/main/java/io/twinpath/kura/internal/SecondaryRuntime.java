package io.twinpath.kura.internal;

import io.twinpath.core.status.DeviceStatus;
import io.twinpath.secondary.SecondaryNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs for one applied configuration: the shared secondary ({@link SecondaryNode}, the same
 * one the dongle runs) over this gateway's spool and path, on the configured broker. It publishes
 * the retained {@code twinpath/<device>/state} ({@code offline} by last will), {@code
 * twinpath/<device>/status} and {@code twinpath/<device>/health}, and the {@code
 * twinpath/<device>/events} stream. A start that fails (spool locked, broker settings unusable) is
 * retried in the background with a growing pause, so activation never blocks. {@link #close()}
 * stops it; queued items and copies stay in the spool.
 */
final class SecondaryRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecondaryRuntime.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final KuraSettings settings;
  private final Path dataDir;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private @Nullable SecondaryNode node;
  private boolean closed;

  private SecondaryRuntime(KuraSettings settings, Path dataDir, Clock clock) {
    this.settings = settings;
    this.dataDir = dataDir;
    this.clock = clock;
    ClassLoader bundleLoader = SecondaryRuntime.class.getClassLoader();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-kura-" + settings.device());
              t.setDaemon(true);
              // the engine's threads inherit it: embedded libraries find their providers
              t.setContextClassLoader(bundleLoader);
              return t;
            });
  }

  /** Starts in the background; returns at once. */
  static SecondaryRuntime start(KuraSettings settings, Path dataDir, Clock clock) {
    SecondaryRuntime r = new SecondaryRuntime(settings, dataDir, clock);
    r.executor.execute(() -> r.startEngine(FIRST_RETRY));
    return r;
  }

  KuraSettings settings() {
    return settings;
  }

  Path dataDir() {
    return dataDir;
  }

  /** The engine's status, once it runs. */
  synchronized Optional<DeviceStatus> status() {
    SecondaryNode n = node;
    return n == null ? Optional.empty() : Optional.of(n.status());
  }

  private void startEngine(Duration pause) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    SecondaryNode n = null;
    try {
      n = SecondaryNode.start(Assembly.settings(settings, dataDir, clock));
      synchronized (this) {
        if (!closed) {
          node = n;
          n = null;
        }
      }
      if (n == null) {
        LOG.info(
            "Twinpath secondary {} runs on {} ({} path); queued items are kept in {}",
            settings.device(),
            settings.brokerUrl(),
            settings.path().name().toLowerCase(java.util.Locale.ROOT),
            dataDir);
      }
    } catch (LinkageError e) {
      // a class the bundle needs is missing from this framework: retrying will not help
      LOG.error(
          "Twinpath secondary {} cannot run in this framework: {}",
          settings.device(),
          e.toString(),
          e);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Twinpath secondary {} could not start ({}); trying again in {} s",
          settings.device(),
          e.getMessage(),
          pause.toSeconds());
      Duration doubled = pause.multipliedBy(2);
      Duration next = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
      synchronized (this) {
        if (!closed) {
          executor.schedule(() -> startEngine(next), pause.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } finally {
      if (n != null) {
        n.close();
      }
    }
  }

  /** Stops the engine (announcing offline) and closes the spool; waits for a start in progress. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Twinpath secondary {}: a start in progress did not stop", settings.device());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    SecondaryNode n;
    synchronized (this) {
      n = node;
      node = null;
    }
    if (n != null) {
      n.close();
    }
    LOG.info("Twinpath secondary {} stopped", settings.device());
  }
}
