package io.twinpath.secondary.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.inbound.FetchPolicy;
import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.inbound.InboundNode;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.core.inbound.InboundSync;
import io.twinpath.core.inbound.MailFetcher;
import io.twinpath.secondary.HeldInbound;
import io.twinpath.secondary.SecondarySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound mail on the secondary: it fetches the configured mailbox by its policy ({@code always},
 * or only while no host is online) over the same path as its sends (the modem's sockets, or bound
 * to the cellular interface's address), holds what it fetched within {@code inbound.budget}, and
 * hands it to the hosts over the engine's signed commands until they confirm it. Register with the
 * engine's builder, then attach the started engine.
 */
public final class InboundWiring implements HeldInbound, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InboundWiring.class);

  /** While it holds mail and a host is online, the secondary reminds the hosts this often. */
  static final Duration ANNOUNCE_EVERY = Duration.ofMinutes(5);

  private final SecondarySettings config;
  private final SecondarySettings.Inbound in;
  private final TwinpathListener events;
  private final InboundNode node;
  private final @Nullable SocketFactory sockets;
  private final @Nullable InetAddress bind;
  private final Set<DeviceId> hostsOnline = ConcurrentHashMap.newKeySet();

  private InboundWiring(
      SecondarySettings config,
      SecondarySettings.Inbound in,
      TwinpathListener events,
      InboundNode node,
      @Nullable SocketFactory sockets,
      @Nullable InetAddress bind) {
    this.config = config;
    this.sockets = sockets;
    this.bind = bind;
    this.in = in;
    this.events = events;
    this.node = node;
  }

  /**
   * Opens the holding store ({@code DATA_DIR/inbound}) within {@code inbound.budget}; the fetch
   * will make its connections with {@code sockets} (the modem's) or bound to {@code bind} (the
   * cellular interface's address), the same path as the sends; neither means the default route.
   */
  public static InboundWiring open(
      SecondarySettings config,
      SecondarySettings.Inbound in,
      TwinpathListener events,
      @Nullable SocketFactory sockets,
      @Nullable InetAddress bind)
      throws IOException {
    InboundStore store;
    try {
      store = InboundStore.open(config.dataDir().resolve("inbound"), in.budgetBytes());
    } catch (IOException e) {
      throw new IOException(
          "the inbound store in "
              + config.dataDir().resolve("inbound")
              + " cannot be used: "
              + e.getMessage(),
          e);
    }
    InboundNode node = InboundNode.over(config.device(), store, InboundSink.holding(store), events);
    return new InboundWiring(config, in, events, node, sockets, bind);
  }

  /** Hands this sync the engine's inbound commands and the hosts' presence. */
  public Coordinator.Builder register(Coordinator.Builder b) {
    return node.register(b, this::presence);
  }

  private void presence(DeviceId peer, boolean online, Runnable toSync) {
    if (!config.peers().contains(peer)) {
      return;
    }
    BooleanSupplier gate = in.policy().gate(this::hostAvailable);
    boolean wasFetching = gate.getAsBoolean();
    if (online) {
      hostsOnline.add(peer);
    } else {
      hostsOnline.remove(peer);
    }
    toSync.run();
    MailFetcher.Watch w = node.watch();
    if (w != null && gate.getAsBoolean() != wasFetching) {
      // the policy says otherwise now; an unchanged answer keeps the connection
      w.poke();
    }
  }

  /** Starts sending through {@code started} and fetching by the policy. */
  public void attach(Coordinator started) {
    node.attach(started);
    node.every(ANNOUNCE_EVERY, this::remind);
    FetchPolicy policy = in.policy();
    FetchSettings fetch = settings(in, sockets, bind);
    node.fetch(
        fetch,
        events,
        policy.gate(this::hostAvailable),
        report -> {
          for (DeviceId host : config.peers()) {
            node.sync().onFetched(report, host);
          }
        });
    LOG.info(
        "fetching inbound mail from {}:{} ({}) over {} {}; holding up to {} bytes",
        fetch.host(),
        fetch.port(),
        fetch.protocol().scheme(),
        sockets != null
            ? "the modem"
            : bind != null ? "the interface of " + bind.getHostAddress() : "the default route",
        policy == FetchPolicy.ALWAYS ? "always" : "while no host is online",
        in.budgetBytes());
  }

  /** The path came up (e.g. the modem's data context): fetch now instead of at the next poll. */
  public void pathUp() {
    MailFetcher.Watch w = node.watch();
    if (w != null && !w.idling()) {
      w.poke();
    }
  }

  /** A host is available while its retained state says online. */
  @Override
  public boolean hostAvailable() {
    return !hostsOnline.isEmpty();
  }

  private void remind() {
    if (node.store().held().isEmpty()) {
      return;
    }
    for (DeviceId host : hostsOnline) {
      node.sync().announceHeld(host);
    }
  }

  /**
   * The fetch settings for the configured mailbox over the path: {@code sockets} (the modem's; TLS
   * runs in Java over them) or bound to {@code bind}; neither means the default route.
   */
  public static FetchSettings settings(
      SecondarySettings.Inbound in, @Nullable SocketFactory sockets, @Nullable InetAddress bind) {
    return in.fetch().get().socketFactory(sockets).localAddress(bind).build();
  }

  /** What the status shows: held messages and their bytes. */
  public JsonObject section() {
    InboundStore store = node.store();
    JsonObject s = new JsonObject();
    s.addProperty("held", store.held().size());
    s.addProperty("usedBytes", store.usedBytes());
    s.addProperty("budgetBytes", store.budget());
    s.addProperty(
        "fetching", node.watch() != null && in.policy().gate(this::hostAvailable).getAsBoolean());
    return s;
  }

  @Override
  public InboundStore store() {
    return node.store();
  }

  public InboundSync sync() {
    return node.sync();
  }

  /** True while the fetch waits in IMAP IDLE for new mail. */
  @Override
  public boolean idling() {
    return node.idling();
  }

  @Override
  public void close() {
    node.close();
  }
}
