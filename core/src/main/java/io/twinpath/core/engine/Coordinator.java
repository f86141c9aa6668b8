package io.twinpath.core.engine;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.internal.Engine;
import io.twinpath.core.engine.internal.SmtpSendPath;
import io.twinpath.core.engine.internal.SpoolItemStore;
import io.twinpath.core.engine.internal.TransitionTable;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.core.wire.ReplayGuard;
import io.twinpath.core.wire.SequenceCounter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The send coordinator of one device. Every device runs the same one (symmetric), configured with
 * the same ordered device list; the device that queues an item (its origin) calls {@link #submit}.
 *
 * <p>It copies items to peers before they are needed, holds or passes the turn under per-item
 * epochs, fails over on temporary failures, stops everywhere on success, takes over when the
 * holder's last will fires, and learns outcomes after a restart before attempting anything. The
 * rules are in {@code docs/PROTOCOL.md}; the decisions are {@link TransitionTable}'s; the engine
 * behind this facade applies them with one handler per kind of command or timer, all on one engine
 * thread.
 */
public final class Coordinator implements AutoCloseable {
  private final DeviceId self;
  private final DeviceKeys keys;
  private final PairingStore pairing;
  private final Engine engine;

  private Coordinator(Builder b) throws IOException {
    this.self = Objects.requireNonNull(b.device, "device is required");
    List<DeviceId> order = List.copyOf(Objects.requireNonNull(b.order, "order is required"));
    ItemStore store = Objects.requireNonNull(b.store, "an item store (spool) is required");
    LinkSettings linkSettings =
        Objects.requireNonNull(b.linkSettings, "broker settings are required");
    Path dataDir = Objects.requireNonNull(b.dataDir, "dataDir is required");
    this.keys = DeviceKeys.loadOrCreate(dataDir, self);
    this.pairing = PairingStore.open(dataDir.resolve("peers.json"));
    CommandCodec codec =
        new CommandCodec(
            keys,
            SequenceCounter.open(dataDir.resolve("sequence")),
            pairing,
            ReplayGuard.open(dataDir.resolve("replay.json")),
            b.clock);
    this.engine =
        new Engine(
            self,
            order,
            store,
            b.path,
            b.clock,
            b.settings,
            linkSettings,
            dataDir.resolve("engine"),
            codec,
            b.listeners,
            b.scheduler,
            b.handlers);
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- public API

  /**
   * Loads the records, connects to the broker and resumes: unfinished items are synced with the
   * peers before anything is attempted; copies this device originated are offered again.
   */
  public Coordinator start() throws IOException {
    engine.start();
    return this;
  }

  public DeviceId device() {
    return self;
  }

  /** This device's key pair (its fingerprint is what peers compare when pairing). */
  public DeviceKeys keys() {
    return keys;
  }

  /** The trusted peers; trusting a key here takes effect at once. */
  public PairingStore pairing() {
    return pairing;
  }

  /**
   * Every listener of this device behind one: the ones given to the builder and the events topic.
   * Other parts of the product (e.g. inbound) report through it so their events reach the same
   * logs, status and topic. Calls are safe from any thread; a listener that throws is logged.
   */
  public TwinpathListener events() {
    return engine.events();
  }

  /** The MQTT link, once started. */
  public Optional<MqttLink> link() {
    return engine.link();
  }

  /**
   * Starts sending an item this device queued in its store: copies it to every peer and attempts at
   * once on this device's path.
   *
   * @throws IllegalArgumentException when the store does not hold the item or it is not from here
   */
  public void submit(ItemMeta item) {
    engine.submit(item);
  }

  /** {@link #submit(ItemMeta)} for an item just queued in the spool. */
  public void submit(OutboundItem item) {
    submit(SpoolItemStore.meta(item));
  }

  /**
   * Signs and sends a command of another part of the product (e.g. inbound reconciliation) to a
   * paired device's inbox, under this device's sequence numbers. Its type must start with the
   * prefix a {@link Builder#commandHandler} is registered for on the receiving side.
   */
  public void sendCommand(String type, DeviceId to, JsonObject fields) {
    engine.sendCommand(Objects.requireNonNull(type, "type"), to, fields);
  }

  /** A snapshot of this device's status. */
  public DeviceStatus status() {
    return engine.status();
  }

  /** The outcome recorded for an item, once finished. */
  public Optional<DeviceStatus.Outcome> outcome(ItemId id) {
    return engine.outcome(id);
  }

  /**
   * Attempts an unfinished item now instead of at the end of its backoff: when this device holds
   * the turn and waits out a backoff, the attempt starts at once; when the holder is offline and
   * this device is the next after it, this device takes the turn now instead of after {@code
   * takeoverDelay}. Otherwise (another device holds the turn and is online, the copy is not
   * complete, the item is finished) nothing changes and the answer says why.
   */
  public OperationResult attemptNow(ItemId id) {
    return engine.attemptNow(id);
  }

  /**
   * Cancels an unfinished item this device queued: it is sent no more, every peer is told to delete
   * its copy ({@code outcome cancelled}), and this device deletes its own. Refused while this
   * device is attempting it (the attempt cannot be taken back halfway): try again when it ended. A
   * peer that is attempting it at this moment finishes that attempt; if it delivers, the item is
   * reported delivered, not cancelled.
   */
  public OperationResult cancel(ItemId id) {
    return engine.cancel(id);
  }

  /** Announces offline, disconnects and stops. Running attempts finish on their own threads. */
  @Override
  public void close() {
    engine.shutdown(false);
  }

  /**
   * Stops as a crash would: the MQTT connection is dropped without a word (the broker publishes the
   * last will) and nothing more is written. For tests and demos of takeover.
   */
  public void crash() {
    engine.shutdown(true);
  }

  // ---------------------------------------------------------------- builder

  /** Wires a coordinator; {@link #build()} checks that everything needed is there. */
  public static final class Builder {
    private @Nullable DeviceId device;
    private @Nullable List<DeviceId> order;
    private @Nullable Path dataDir;
    private @Nullable LinkSettings linkSettings;
    private @Nullable ItemStore store;
    private @Nullable SendPath path;
    private Clock clock = Clock.systemUTC();
    private @Nullable Scheduler scheduler;
    private final List<TwinpathListener> listeners = new ArrayList<>();
    private CoordinatorSettings settings = CoordinatorSettings.defaults();
    private final Map<String, CommandHandler> handlers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Receives verified commands whose type starts with {@code typePrefix} (e.g. {@code
     * "inbound."}), on the engine thread, in order; they passed the signature and replay checks.
     */
    public Builder commandHandler(String typePrefix, CommandHandler handler) {
      Objects.requireNonNull(typePrefix, "typePrefix");
      if (!typePrefix.matches("[a-z][a-z0-9-]*\\.") || typePrefix.equals("copy.")) {
        throw new IllegalArgumentException(
            "command type prefix '" + typePrefix + "' is not accepted; use e.g. inbound.");
      }
      handlers.put(typePrefix, Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** This device. */
    public Builder device(DeviceId device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** Every device, in failover order, this one included; the same list on every device. */
    public Builder order(List<DeviceId> order) {
      Objects.requireNonNull(order, "order");
      if (order.size() < 2 || new HashSet<>(order).size() != order.size()) {
        throw new IllegalArgumentException(
            "device order " + order + " is not accepted; list two or more distinct devices");
      }
      this.order = List.copyOf(order);
      return this;
    }

    /** Where keys, pairings, sequence numbers, engine records and MQTT persistence live. */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dataDir");
      return this;
    }

    /** How to reach the broker (its device must be this device). */
    public Builder broker(LinkSettings settings) {
      this.linkSettings = Objects.requireNonNull(settings, "broker settings");
      return this;
    }

    /** The device's item store (its spool, adapted). */
    public Builder store(ItemStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The device's spool: where its items and the copies from peers live. */
    public Builder spool(Spool spool) {
      this.store = new SpoolItemStore(Objects.requireNonNull(spool, "spool"));
      return this;
    }

    /** This device's SMTP path (e.g. over its own network, or over its modem's sockets). */
    public Builder sender(SmtpSender sender) {
      this.path = new SmtpSendPath(Objects.requireNonNull(sender, "sender"));
      return this;
    }

    /** This device's own send path; without one, every turn it gets passes on at once. */
    public Builder path(SendPath path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Timers (backoff, takeover, sync, expiry); by default the engine's own thread. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Adds a listener; every event also goes to {@code twinpath/<device>/events}. */
    public Builder listener(TwinpathListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public Builder settings(CoordinatorSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Builds the coordinator (not started: call {@link Coordinator#start()}). */
    public Coordinator build() throws IOException {
      DeviceId d = Objects.requireNonNull(device, "device is required");
      List<DeviceId> o = Objects.requireNonNull(order, "order is required");
      if (!o.contains(d)) {
        throw new IllegalArgumentException(
            "device " + d + " is not in the device order " + o + "; add it");
      }
      LinkSettings l = Objects.requireNonNull(linkSettings, "broker settings are required");
      if (!l.device().equals(d)) {
        throw new IllegalArgumentException(
            "the broker settings are for " + l.device() + ", not for " + d);
      }
      return new Coordinator(this);
    }
  }
}
