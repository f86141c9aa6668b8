package io.twinpath.core.inbound;

import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.event.TwinpathListener;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound parts every device runs around its engine: the store, an {@link InboundSync} whose
 * commands wait for the engine until it is attached, the peers' presence handed to the sync, a
 * timer for periodic work, and at most one mailbox fetch. Register with the engine's builder
 * ({@link #register}), then {@link #attach} the started engine; {@link #close} stops the fetch, the
 * timer, the sync, then closes the store.
 */
public final class InboundNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InboundNode.class);

  /** How long a reconciliation waits for the peer's next answer. */
  private static final long SYNC_TIMEOUT_MILLIS = 30_000;

  /** What a device does when a peer comes or goes, around handing it to the sync. */
  @FunctionalInterface
  public interface Presence {
    /**
     * @param toSync hands the change to the sync; not calling it leaves the sync unaware
     */
    void changed(DeviceId peer, boolean online, Runnable toSync);
  }

  private final DeviceId self;
  private final InboundStore store;
  private final InboundSink sink;
  private final InboundSync sync;
  private final CompletableFuture<Coordinator> engine;
  private final ScheduledExecutorService timer;
  private volatile MailFetcher.@Nullable Watch watch;

  private InboundNode(
      DeviceId self,
      InboundStore store,
      InboundSink sink,
      InboundSync sync,
      CompletableFuture<Coordinator> engine) {
    this.self = self;
    this.store = store;
    this.sink = sink;
    this.sync = sync;
    this.engine = engine;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-inbound-timer");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the inbound parts over an open store; they own it from here ({@link #close} closes it).
   *
   * @param sink where received messages go (a Maildir on a host, held in {@code store} on a
   *     secondary)
   * @param events receives the sync's {@code inboundReconciled} and {@code inboundStored} events
   */
  public static InboundNode over(
      DeviceId self, InboundStore store, InboundSink sink, TwinpathListener events) {
    CompletableFuture<Coordinator> engine = new CompletableFuture<>();
    // commands sent before the engine is attached wait for it
    PeerChannel channel =
        (to, type, fields) ->
            engine.thenAccept(c -> PeerChannel.coordinator(c).send(to, type, fields));
    InboundSync sync = new InboundSync(self, sink, channel, SYNC_TIMEOUT_MILLIS, events);
    return new InboundNode(self, store, sink, sync, engine);
  }

  /** Hands the sync the engine's inbound commands and every peer's presence. */
  public Coordinator.Builder register(Coordinator.Builder b) {
    return register(b, (peer, online, toSync) -> toSync.run());
  }

  /** Hands the sync the engine's inbound commands, and the peers' presence through {@code p}. */
  public Coordinator.Builder register(Coordinator.Builder b, Presence p) {
    return b.commandHandler(InboundSync.PREFIX, sync::onCommand)
        .listener(
            new TwinpathListener() {
              @Override
              public void peerPresence(DeviceId peer, boolean online) {
                p.changed(peer, online, () -> sync.onPeerPresence(peer, online));
              }
            });
  }

  /** Lets the commands out through {@code started}. */
  public void attach(Coordinator started) {
    engine.complete(started);
  }

  /** The attached engine, or null before {@link #attach}. */
  public @Nullable Coordinator engine() {
    return engine.getNow(null);
  }

  /** Runs {@code task} every {@code period} (first after one period) on the inbound timer. */
  public void every(Duration period, Runnable task) {
    long ms = period.toMillis();
    timer.scheduleWithFixedDelay(task, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts fetching the mailbox of {@code settings} into the sink while {@code enabled} says so;
   * the stored messages are reported to {@code events}.
   */
  public void fetch(
      FetchSettings settings,
      TwinpathListener events,
      BooleanSupplier enabled,
      Consumer<MailFetcher.Report> onFetched) {
    MailFetcher fetcher = new MailFetcher(settings, InboundSink.observed(sink, self, events));
    watch = fetcher.watch(enabled, onFetched);
  }

  /** The running fetch, or null when this device does not fetch (yet). */
  public MailFetcher.@Nullable Watch watch() {
    return watch;
  }

  /** True while the fetch waits in IMAP IDLE for new mail. */
  public boolean idling() {
    MailFetcher.Watch w = watch;
    return w != null && w.idling();
  }

  public InboundSync sync() {
    return sync;
  }

  public InboundStore store() {
    return store;
  }

  @Override
  public void close() {
    MailFetcher.Watch w = watch;
    if (w != null) {
      w.close();
    }
    timer.shutdownNow();
    sync.close();
    try {
      store.close();
    } catch (IOException e) {
      LOG.warn("closing the inbound store: {}", e.toString());
    }
  }
}
