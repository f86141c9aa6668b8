package io.twinpath.host.internal;

import io.twinpath.core.config.Secret;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.event.LoggingListener;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.host.internal.config.ConfigException;
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
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running host: it holds the spool, hands queued items to the send engine ({@link Coordinator}:
 * this laptop's SMTP account first, then the peers), answers the commands on its control socket,
 * runs the loopback SMTP listener when configured, and records outcomes and bounces.
 */
public final class HostDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HostDaemon.class);

  /** How long the daemon waits for a command that holds the spool for a moment. */
  static final Duration SPOOL_WAIT = Duration.ofSeconds(30);

  private final HostConfig config;
  private final Spool spool;
  private final QueueOps ops;
  private final Coordinator coordinator;
  private final EngineBridge bridge;
  private final ControlServer control;
  private final @Nullable SubmissionServer listener;
  private @Nullable InboundWiring inbound;
  private boolean closed;

  private HostDaemon(
      HostConfig config,
      Spool spool,
      QueueOps ops,
      Coordinator coordinator,
      EngineBridge bridge,
      ControlServer control,
      @Nullable SubmissionServer listener) {
    this.config = config;
    this.spool = spool;
    this.ops = ops;
    this.coordinator = coordinator;
    this.bridge = bridge;
    this.control = control;
    this.listener = listener;
  }

  /**
   * Starts the daemon. The MQTT broker need not be reachable: mail is queued and sent over this
   * laptop's own path anyway, and the connection is retried in the background.
   *
   * @throws ConfigException when the account cannot be used (e.g. its password command fails)
   * @throws IOException when the spool, the control socket or the listener cannot be set up
   */
  public static HostDaemon start(HostConfig config, Clock clock)
      throws IOException, ConfigException {
    privateDirectory(config.dataDir());
    SmtpSender sender =
        config.account() == null ? null : SmtpPath.sender(config.account(), config.domain());
    LinkSettings link = linkSettings(config);
    Spool spool = openSpool(config.spoolDir(), clock);
    Coordinator coordinator = null;
    ControlServer control = null;
    SubmissionServer listener = null;
    EngineBridge bridge = new EngineBridge(config, clock);
    InboundWiring inbound = null;
    try {
      bridge.spool(spool);
      bridge.remember(spool);
      Coordinator.Builder b =
          Coordinator.builder()
              .device(config.device())
              .order(config.deviceOrder())
              .dataDir(config.dataDir())
              .broker(link)
              .spool(spool)
              .clock(clock)
              .listener(new LoggingListener())
              .listener(bridge)
              .settings(
                  CoordinatorSettings.builder()
                      .initialBackoff(config.backoff())
                      .maxBackoff(config.backoffMax())
                      .takeoverDelay(config.takeoverDelay())
                      .recordRetention(HostConfig.RECORD_RETENTION)
                      .build());
      if (sender != null) {
        b.sender(sender);
      }
      inbound = InboundWiring.open(config, new LoggingListener());
      inbound.register(b);
      coordinator = b.build().start();
      bridge.attach(coordinator);
      inbound.attach(coordinator, new LoggingListener());
      // items queued by sendmail while no daemon ran: the engine takes them now
      for (OutboundItem item : spool.list()) {
        if (item.origin().equals(config.device())) {
          coordinator.submit(item); // one finished since it was listed is known: nothing to do
        }
      }
      QueueOps ops = new QueueOps(spool, config, clock, bridge, true);
      control = ControlServer.start(config.controlSocket(), ops::handle);
      if (config.listen() != null) {
        listener =
            SubmissionServer.start(
                config.listen(), ops.outbox(), config.domain(), Duration.ofMinutes(5));
      }
      LOG.info(
          "{} holds {} item(s) in {}; own path {}; peers {}",
          config.device(),
          spool.list().size(),
          config.spoolDir(),
          config.account() == null
              ? "none"
              : config.account().host() + ":" + config.account().port(),
          config.peers());
      HostDaemon daemon =
          new HostDaemon(config, spool, ops, coordinator, bridge, control, listener);
      daemon.inbound = inbound;
      return daemon;
    } catch (IOException | RuntimeException e) {
      if (listener != null) {
        listener.close();
      }
      if (control != null) {
        control.close();
      }
      if (coordinator != null) {
        coordinator.close();
      }
      if (inbound != null) {
        inbound.close();
      }
      bridge.close();
      spool.close();
      throw e;
    }
  }

  private static LinkSettings linkSettings(HostConfig config) throws ConfigException {
    LinkSettings.Builder b =
        LinkSettings.builder()
            .brokerUrl(config.broker().url())
            .device(config.device())
            .role("host")
            .dataDir(config.dataDir());
    String user = config.broker().user();
    Secret secret = config.broker().password();
    if (user != null) {
      char[] password = new char[0];
      if (secret != null) {
        try {
          password = secret.reveal();
        } catch (IOException e) {
          throw new ConfigException("broker password: " + e.getMessage(), e);
        }
      }
      char[] kept = password;
      b.credentials(user, () -> Arrays.copyOf(kept, kept.length));
    }
    return b.build();
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

  /** The loopback SMTP listener's port, or -1 when it is off. */
  public int listenerPort() {
    return listener == null ? -1 : listener.port();
  }

  /** Whether the MQTT link is connected. */
  public boolean isOnline() {
    return coordinator.link().map(l -> l.isConnected()).orElse(false);
  }

  public QueueOps queue() {
    return ops;
  }

  /** Inbound mail into the Maildir (tests, status). */
  public InboundWiring inbound() {
    return java.util.Objects.requireNonNull(inbound, "inbound");
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  public HostConfig config() {
    return config;
  }

  /** Waits until recorded outcomes and bounces are written (tests, shutdown). */
  public void flush() {
    bridge.flush();
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
    coordinator.close();
    InboundWiring in = inbound;
    if (in != null) {
      in.close();
    }
    bridge.close();
    try {
      spool.close();
    } catch (IOException e) {
      LOG.warn("closing the spool: {}", e.toString());
    }
  }
}
