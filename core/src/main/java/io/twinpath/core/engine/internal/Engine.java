package io.twinpath.core.engine.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.CommandHandler;
import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.engine.ItemStore;
import io.twinpath.core.engine.OperationResult;
import io.twinpath.core.engine.Scheduler;
import io.twinpath.core.engine.SendPath;
import io.twinpath.core.event.Listeners;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.MqttLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code Coordinator}: wires one handler per kind of command or timer around the
 * pure {@link TransitionTable} and runs them on one {@link EngineLoop}.
 *
 * <ul>
 *   <li>{@link Inbox}: commands in, each handed to the handler registered for its type in the
 *       {@link CommandRegistry} (the engine's own types and the prefixes of other parts alike);
 *   <li>{@link CopyTransfer} ({@code copy.*}), {@link TurnHandler} ({@code turn}, takeover timer),
 *       {@link OutcomeHandler} ({@code outcome}), {@link SyncHandler} ({@code sync}, {@code
 *       synced}, sync timer), {@link AttemptRunner} (attempts, backoff timer), {@link ExpiryTimer},
 *       {@link PresenceHandler} (peers' states);
 *   <li>{@link StateMachine}: fires a trigger through the table and hands each action to the
 *       handler registered for it;
 *   <li>{@link Announcer}: every unfinished item announced again to a peer that connects again, and
 *       periodically;
 *   <li>{@link Records}, {@link StatusBook}, {@link Outbox}, {@link Peers}, {@link AliveMark}: what
 *       the handlers share.
 * </ul>
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private static final Duration COPY_WATCHDOG = Duration.ofSeconds(3);

  private final EngineParts e;
  private final LinkSettings linkSettings;
  private final AliveMark alive;
  private final CommandRegistry commands = new CommandRegistry();
  private final CopyTransfer copies;
  private final AttemptRunner attempts;
  private final SyncHandler sync;
  private final ItemOperations operations;
  private final Inbox inbox;
  private final Announcer announcer;
  private final PresenceHandler presence;

  /**
   * Wires the engine (not started).
   *
   * @param handlers the handlers of other parts' commands, by type prefix
   */
  public Engine(
      DeviceId self,
      List<DeviceId> order,
      ItemStore store,
      @Nullable SendPath path,
      Clock clock,
      CoordinatorSettings settings,
      LinkSettings linkSettings,
      Path recordsDir,
      CommandCodec codec,
      List<TwinpathListener> listeners,
      @Nullable Scheduler scheduler,
      Map<String, CommandHandler> handlers)
      throws IOException {
    Files.createDirectories(recordsDir);
    this.linkSettings = linkSettings;
    EngineLoop loop = new EngineLoop(self);
    Peers peers = new Peers(self, order);
    Outbox outbox = new Outbox(peers, codec, loop);
    List<TwinpathListener> all = new ArrayList<>(listeners);
    all.add(new EventsTopicListener(self, outbox::link, clock));
    TwinpathListener events = Listeners.fanOut(all);
    Records records = new Records(self, recordsDir);
    StatusBook status =
        new StatusBook(
            peers, records, outbox, loop, events, clock, linkSettings.role(), path != null);
    this.e =
        new EngineParts(
            peers,
            store,
            clock,
            settings,
            events,
            scheduler != null ? scheduler : loop,
            loop,
            outbox,
            records,
            status);
    this.alive = new AliveMark(self, recordsDir, clock);
    this.copies = new CopyTransfer(e, commands);
    this.attempts = new AttemptRunner(e, path);
    TurnHandler turns = new TurnHandler(e, attempts, commands);
    new OutcomeHandler(e, copies, attempts, turns, commands);
    this.sync = new SyncHandler(e, copies, commands);
    e.machine.checkComplete();
    handlers.forEach(commands::prefix);
    this.operations = new ItemOperations(e, attempts, turns, sync);
    this.announcer = new Announcer(e, sync);
    this.presence = new PresenceHandler(e, turns, sync, copies, announcer);
    this.inbox = new Inbox(e, codec, commands, presence);
  }

  /**
   * Loads the records, connects to the broker and resumes: unfinished items are synced with the
   * peers before anything is attempted; copies this device originated are offered again.
   */
  public void start() throws IOException {
    EngineLoop loop = e.loop;
    Instant lastAlive =
        loop.call(
                () -> {
                  Instant a = alive.read();
                  e.records.load(e.store, e.peers);
                  return Optional.ofNullable(a);
                })
            .orElse(null);
    MqttLink l;
    try {
      JsonObject stateFields = new JsonObject();
      stateFields.addProperty(
          PresenceHandler.TAKEOVER_FIELD, e.settings.takeoverDelay().toMillis());
      l = MqttLink.start(linkSettings, e.clock, inbox::onMessage, stateFields);
    } catch (MqttException x) {
      throw new IOException("cannot create the MQTT client: " + x.getMessage(), x);
    }
    l.onConnect(
        () ->
            loop.post(
                () -> {
                  e.peers.linkUp(e.clock.instant());
                  alive.write();
                  copies.reofferAll();
                }));
    l.onDisconnect(() -> loop.post(presence::onLinkLost));
    l.onCaughtUp(
        () ->
            loop.post(
                () -> {
                  e.peers.caughtUp();
                  sync.caughtUp();
                }));
    e.outbox.attach(l);
    loop.every(COPY_WATCHDOG, COPY_WATCHDOG, "copy watchdog", copies::watchdog);
    Duration reannounce = e.settings.reannounceInterval();
    loop.every(reannounce, reannounce, "announcing unfinished items", announcer::toReachablePeers);
    loop.call(
        () -> {
          sync.resume(lastAlive);
          prune();
          return null;
        });
    schedulePrune();
    long aliveEvery = Math.max(1000, Math.min(60_000, e.settings.takeoverDelay().toMillis() / 4));
    loop.every(
        Duration.ZERO,
        Duration.ofMillis(aliveEvery),
        "alive mark",
        () -> {
          if (l.isConnected()) {
            alive.write();
          }
        });
  }

  private void schedulePrune() {
    long every = Math.max(1000, Math.min(3_600_000, e.settings.recordRetention().toMillis() / 4));
    e.scheduler.schedule(
        Duration.ofMillis(every),
        () ->
            e.loop.post(
                () -> {
                  prune();
                  schedulePrune();
                }));
  }

  private void prune() {
    Instant now = e.clock.instant();
    e.records.prune(now, e.settings.recordRetention()).forEach(e.status::forget);
    try {
      e.store.expireDamaged(now.minus(e.settings.recordRetention()));
    } catch (IOException ex) {
      LOG.warn("removing expired quarantined spool entries failed: {}", ex.toString());
    }
  }

  /** Every listener of this device behind one, the events topic included. */
  public TwinpathListener events() {
    return e.events;
  }

  public Optional<MqttLink> link() {
    return Optional.ofNullable(e.outbox.link());
  }

  public void submit(ItemMeta item) {
    e.loop.call(
        () -> {
          operations.submit(item);
          return null;
        });
  }

  /** Sends a command of another part of the product; never one of the engine's own types. */
  public void sendCommand(String type, DeviceId to, JsonObject fields) {
    if (commands.isEngineType(type)) {
      throw new IllegalArgumentException("'" + type + "' is a command type of the engine itself");
    }
    JsonObject copy = fields.deepCopy();
    e.loop.post(() -> e.outbox.send(type, to, copy));
  }

  public DeviceStatus status() {
    return e.loop.call(e.status::snapshot);
  }

  public Optional<DeviceStatus.Outcome> outcome(ItemId id) {
    return e.loop.call(() -> operations.outcome(id));
  }

  public OperationResult attemptNow(ItemId id) {
    return e.loop.call(() -> operations.attemptNow(id));
  }

  public OperationResult cancel(ItemId id) {
    return e.loop.call(() -> operations.cancel(id));
  }

  /**
   * Stops: with {@code abrupt}, as a crash would (the connection dropped without a word, so the
   * broker publishes the last will); otherwise announcing offline first.
   */
  public void shutdown(boolean abrupt) {
    if (e.loop.isClosed()) {
      return;
    }
    e.loop.markClosed();
    MqttLink l = e.outbox.link();
    if (l != null && !abrupt && l.isConnected()) {
      alive.write(); // peers start counting towards a takeover from the offline below
    }
    if (l != null) {
      if (abrupt) {
        l.abort();
      } else {
        l.close();
      }
    }
    attempts.close();
    e.loop.stop();
  }
}
