package io.twinpath.kura.internal;

import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.event.LoggingListener;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolOptions;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.hw.modem.ModemHealth;
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
 * What runs for one applied configuration: the same send coordinator every Twinpath device runs,
 * over this gateway's spool and SMTP path, on the configured broker. It publishes the retained
 * {@code twinpath/<device>/state} ({@code offline} by last will) and {@code
 * twinpath/<device>/status}, and the {@code twinpath/<device>/events} stream. A start that fails
 * (spool locked, broker settings unusable) is retried in the background with a growing pause, so
 * activation never blocks. {@link #close()} stops it; queued items and copies stay in the spool.
 */
final class SecondaryRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecondaryRuntime.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final KuraSettings settings;
  private final Path dataDir;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private @Nullable Spool spool;
  private @Nullable Coordinator coordinator;
  private @Nullable ModemPath modem;
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
    Coordinator c = coordinator;
    return c == null ? Optional.empty() : Optional.of(c.status());
  }

  private void startEngine(Duration pause) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    Spool s = null;
    Coordinator c = null;
    ModemPath m = null;
    try {
      s =
          Spool.open(
              dataDir.resolve("spool"),
              SpoolOptions.builder().maxBytes(settings.storageBudget()).build());
      Coordinator.Builder b =
          Coordinator.builder()
              .device(settings.device())
              .order(settings.order())
              .dataDir(dataDir)
              .broker(Assembly.link(settings, dataDir))
              .spool(s)
              .clock(clock)
              .listener(new LoggingListener())
              .settings(Assembly.coordinator(settings));
      switch (settings.path()) {
        case INTERFACE -> b.sender(Assembly.sender(Assembly.smtp(settings).build()));
        case MODEM -> {
          m = ModemPath.open(settings);
          b.sender(
              Assembly.sender(Assembly.smtp(settings).socketFactory(m.socketFactory()).build()));
        }
        case NONE -> {}
      }
      c = b.build().start();
      synchronized (this) {
        if (!closed) {
          spool = s;
          coordinator = c;
          modem = m;
          s = null;
          c = null;
          m = null;
        }
      }
      if (c == null) {
        LOG.info(
            "Twinpath secondary {} runs on {} ({} path); queued items are kept in {}",
            settings.device(),
            settings.brokerUrl(),
            settings.path().name().toLowerCase(java.util.Locale.ROOT),
            dataDir);
        if (settings.path() == KuraSettings.PathKind.MODEM) {
          executor.execute(() -> bringUpModem(FIRST_RETRY));
        }
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
      stop(c, s, m);
    }
  }

  /** SIM, registration and data; retried with a growing pause until it works or we stop. */
  private void bringUpModem(Duration pause) {
    ModemPath m;
    synchronized (this) {
      m = modem;
      if (closed || m == null) {
        return;
      }
    }
    try {
      ModemHealth h = m.bringUp();
      LOG.info(
          "Twinpath secondary {}: modem ready on {} ({}, {}, signal {} dBm, address {})",
          settings.device(),
          settings.get("modem.port").orElse("?"),
          h.operator(),
          h.accessTechnology(),
          h.signalDbm(),
          h.ipAddress());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Twinpath secondary {}: modem on {} not ready ({}); trying again in {} s",
          settings.device(),
          settings.get("modem.port").orElse("?"),
          e.getMessage(),
          pause.toSeconds());
      Duration doubled = pause.multipliedBy(2);
      Duration next = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
      synchronized (this) {
        if (!closed) {
          executor.schedule(() -> bringUpModem(next), pause.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private static void stop(@Nullable Coordinator c, @Nullable Spool s, @Nullable ModemPath m) {
    if (c != null) {
      c.close();
    }
    if (m != null) {
      m.close();
    }
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.warn("closing the spool: {}", e.toString());
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
    Coordinator c;
    Spool s;
    ModemPath m;
    synchronized (this) {
      c = coordinator;
      s = spool;
      m = modem;
      coordinator = null;
      spool = null;
      modem = null;
    }
    stop(c, s, m);
    LOG.info("Twinpath secondary {} stopped", settings.device());
  }
}
