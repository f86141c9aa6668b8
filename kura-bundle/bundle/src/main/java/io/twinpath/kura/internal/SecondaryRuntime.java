package io.twinpath.kura.internal;

import io.twinpath.core.status.Presence;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs for one applied configuration: the secondary announced on the broker (retained {@code
 * twinpath/<device>/state}, {@code offline} by last will). A broker that is not reachable yet is
 * retried in the background with a growing pause, so activation never blocks on the network. {@link
 * #close()} announces offline and stops; queued items live in the data directory and survive it.
 */
final class SecondaryRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecondaryRuntime.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final KuraSettings settings;
  private final Path dataDir;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private @Nullable Presence presence;
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
              // libraries embedded in the bundle find their providers through this loader
              t.setContextClassLoader(bundleLoader);
              return t;
            });
  }

  /** Starts in the background; returns at once. */
  static SecondaryRuntime start(KuraSettings settings, Path dataDir, Clock clock) {
    SecondaryRuntime r = new SecondaryRuntime(settings, dataDir, clock);
    r.executor.execute(() -> r.connect(FIRST_RETRY));
    return r;
  }

  KuraSettings settings() {
    return settings;
  }

  Path dataDir() {
    return dataDir;
  }

  synchronized boolean isOnline() {
    Presence p = presence;
    return p != null && p.isConnected();
  }

  private void connect(Duration pause) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    try {
      Presence p = Presence.announce(settings.brokerUrl(), settings.device(), "secondary", clock);
      synchronized (this) {
        if (closed) {
          p.close();
          return;
        }
        presence = p;
      }
      LOG.info(
          "Twinpath secondary {} is online on {}; queued items are kept in {}",
          settings.device(),
          settings.brokerUrl(),
          dataDir);
    } catch (MqttException | RuntimeException e) {
      LOG.warn(
          "Twinpath secondary {} cannot reach the MQTT broker {} ({}); trying again in {} s",
          settings.device(),
          settings.brokerUrl(),
          e.getMessage(),
          pause.toSeconds());
      Duration doubled = pause.multipliedBy(2);
      Duration next = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
      synchronized (this) {
        if (!closed) {
          executor.schedule(() -> connect(next), pause.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  /** Announces offline and stops; waits for a connection attempt in progress to end. */
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
      if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("Twinpath secondary {}: a connection attempt did not stop", settings.device());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Presence p;
    synchronized (this) {
      p = presence;
      presence = null;
    }
    if (p != null) {
      p.close();
    }
    LOG.info("Twinpath secondary {} stopped", settings.device());
  }
}
