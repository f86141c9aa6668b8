package io.twinpath.host.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.inbound.InboundNode;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.core.inbound.InboundSync;
import io.twinpath.core.maildir.Maildir;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.config.InboundAccount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound mail on the host: messages a peer fetched reach the configured Maildir exactly once
 * (reconciliation and transfer over the engine's signed commands), and with an {@code inbound}
 * mailbox configured this laptop fetches too. Register with the engine's builder, then attach the
 * started engine.
 */
public final class InboundWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InboundWiring.class);

  /** How often the host reconciles with each online peer even without news. */
  static final Duration RECONCILE_EVERY = Duration.ofMinutes(15);

  /** How often the host forgets old inbound ids, with {@code inbound_retention} set. */
  static final Duration PRUNE_EVERY = Duration.ofHours(6);

  /** Room for messages being received from a peer (partial files). */
  static final long BUDGET_BYTES = 1L << 30;

  private final HostConfig config;
  private final InboundNode node;

  private InboundWiring(HostConfig config, InboundNode node) {
    this.config = config;
    this.node = node;
  }

  /** Opens the inbound store ({@code DATA_DIR/inbound}) and the Maildir. */
  public static InboundWiring open(HostConfig config, TwinpathListener listener)
      throws IOException {
    InboundStore store = InboundStore.open(config.dataDir().resolve("inbound"), BUDGET_BYTES);
    try {
      InboundSink sink = InboundSink.maildir(store, Maildir.open(config.maildir()));
      return new InboundWiring(config, InboundNode.over(config.device(), store, sink, listener));
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Hands this sync the engine's inbound commands and the peers' presence. */
  public Coordinator.Builder register(Coordinator.Builder b) {
    return node.register(b);
  }

  /** Starts sending through {@code started}, fetching (when configured) and reconciling. */
  public void attach(Coordinator started, TwinpathListener listener) {
    node.attach(started);
    node.every(RECONCILE_EVERY, this::reconcileAll);
    Duration retention = config.inboundRetention();
    if (retention != null) {
      node.every(PRUNE_EVERY, () -> prune(retention));
    }
    InboundAccount a = config.inbound();
    if (a != null) {
      node.fetch(
          settings(a), listener, () -> true, report -> LOG.debug("inbound fetch: {}", report));
      LOG.info(
          "fetching inbound mail from {}:{} ({}) into {}",
          a.host(),
          a.port(),
          a.protocol().scheme(),
          config.maildir());
    }
  }

  /** Forgets ids older than the retention that every peer has (see {@link InboundSync#prune}). */
  private void prune(Duration retention) {
    try {
      node.sync().prune(retention, config.peers());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Forgetting old inbound ids failed: {}; trying again later", e.toString());
    }
  }

  private void reconcileAll() {
    Coordinator c = node.engine();
    if (c == null) {
      return;
    }
    List<DeviceId> peers = config.peers();
    for (DeviceId p : peers) {
      if ("online".equals(c.status().peers().get(p))) {
        node.sync()
            .reconcileWith(p)
            .whenComplete(
                (r, e) -> {
                  if (e != null) {
                    LOG.info("reconciling inbound mail with {}: {}", p, e.getMessage());
                  }
                });
      }
    }
  }

  static FetchSettings settings(InboundAccount a) {
    Secret secret = a.password();
    FetchSettings.Builder b =
        FetchSettings.builder()
            .protocol(a.protocol())
            .starttls(a.starttls())
            .host(a.host())
            .port(a.port())
            .username(a.user())
            .deleteAfterDownload(a.delete())
            .folder(a.folder())
            .pollInterval(a.poll())
            .connectTimeout(a.timeout())
            .readTimeout(a.timeout().multipliedBy(2))
            .writeTimeout(a.timeout().multipliedBy(2));
    if (secret != null) {
      b.password(
          () -> {
            try {
              return secret.reveal();
            } catch (IOException e) {
              throw new UncheckedIOException("inbound password: " + e.getMessage(), e);
            }
          });
    }
    return b.build();
  }

  /** True while this laptop's own fetch waits in IMAP IDLE for new mail. */
  public boolean idling() {
    return node.idling();
  }

  /** The sync (status, tests). */
  public InboundSync sync() {
    return node.sync();
  }

  public InboundStore store() {
    return node.store();
  }

  @Override
  public void close() {
    node.close();
  }
}
