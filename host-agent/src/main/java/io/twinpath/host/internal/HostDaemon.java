package io.twinpath.host.internal;

import io.twinpath.core.spool.Spool;
import io.twinpath.core.status.Presence;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.control.ControlServer;
import io.twinpath.host.internal.queue.QueueOps;
import io.twinpath.host.internal.smtpd.SubmissionServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running host: it holds the spool, answers the commands on its control socket, runs the
 * loopback SMTP listener when configured, and keeps its MQTT presence.
 */
public final class HostDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HostDaemon.class);

  /** How long the daemon waits for a command that holds the spool for a moment. */
  static final Duration SPOOL_WAIT = Duration.ofSeconds(30);

  private final HostConfig config;
  private final Spool spool;
  private final QueueOps ops;
  private final ControlServer control;
  private final @Nullable SubmissionServer listener;
  private final ScheduledExecutorService background;
  private volatile @Nullable Presence presence;
  private volatile boolean closed;

  private HostDaemon(
      HostConfig config,
      Spool spool,
      QueueOps ops,
      ControlServer control,
      @Nullable SubmissionServer listener,
      ScheduledExecutorService background) {
    this.config = config;
    this.spool = spool;
    this.ops = ops;
    this.control = control;
    this.listener = listener;
    this.background = background;
  }

  /**
   * Starts the daemon. The MQTT broker need not be reachable: mail is queued anyway, and the
   * connection is retried in the background.
   *
   * @throws IOException when the spool, the control socket or the listener cannot be set up
   */
  public static HostDaemon start(HostConfig config, Clock clock) throws IOException {
    privateDirectory(config.dataDir());
    Spool spool = openSpool(config.spoolDir(), clock);
    ScheduledExecutorService background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "host-background");
              t.setDaemon(true);
              return t;
            });
    ControlServer control = null;
    SubmissionServer listener = null;
    try {
      QueueOps ops = new QueueOps(spool, config, clock, QueueOps.Engine.NONE, true);
      control = ControlServer.start(config.controlSocket(), ops::handle);
      if (config.listen() != null) {
        listener =
            SubmissionServer.start(
                config.listen(), ops.outbox(), config.domain(), Duration.ofMinutes(5));
      }
      HostDaemon d = new HostDaemon(config, spool, ops, control, listener, background);
      background.execute(() -> d.connectPresence(clock));
      LOG.info(
          "{} holds {} item(s) in {}", config.device(), spool.list().size(), config.spoolDir());
      return d;
    } catch (IOException | RuntimeException e) {
      if (listener != null) {
        listener.close();
      }
      if (control != null) {
        control.close();
      }
      background.shutdownNow();
      spool.close();
      throw e;
    }
  }

  private static void privateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: nothing to tighten
      }
    }
  }

  /** Opens the spool, waiting while a sendmail command holds it for a moment. */
  private static Spool openSpool(Path dir, Clock clock) throws IOException {
    Instant deadline = clock.instant().plus(SPOOL_WAIT);
    while (true) {
      try {
        return Spool.open(dir);
      } catch (IOException e) {
        if (!clock.instant().isBefore(deadline) || !Files.isDirectory(dir)) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void connectPresence(Clock clock) {
    if (closed) {
      return;
    }
    try {
      presence = Presence.announce(config.broker().url(), config.device(), "host", clock);
    } catch (MqttException e) {
      LOG.warn(
          "the MQTT broker {} is not reachable ({}); mail is queued and sent over this laptop's"
              + " path; retrying in 10 s",
          config.broker().url(),
          e.getMessage());
      if (!closed) {
        background.schedule(() -> connectPresence(clock), 10, TimeUnit.SECONDS);
      }
    }
  }

  /** The loopback SMTP listener's port, or -1 when it is off. */
  public int listenerPort() {
    return listener == null ? -1 : listener.port();
  }

  /** Whether the MQTT presence is connected. */
  public boolean isOnline() {
    Presence p = presence;
    return p != null && p.isConnected();
  }

  public QueueOps queue() {
    return ops;
  }

  public HostConfig config() {
    return config;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (listener != null) {
      listener.close();
    }
    control.close();
    background.shutdownNow();
    Presence p = presence;
    if (p != null) {
      p.close();
    }
    try {
      spool.close();
    } catch (IOException e) {
      LOG.warn("closing the spool: {}", e.toString());
    }
  }
}
