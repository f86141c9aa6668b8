package io.twinpath.core.engine;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.internal.Action;
import io.twinpath.core.engine.internal.EventsTopicListener;
import io.twinpath.core.engine.internal.ItemRecord;
import io.twinpath.core.engine.internal.Phase;
import io.twinpath.core.engine.internal.SmtpSendPath;
import io.twinpath.core.engine.internal.SpoolItemStore;
import io.twinpath.core.engine.internal.Transition;
import io.twinpath.core.engine.internal.TransitionTable;
import io.twinpath.core.engine.internal.Trigger;
import io.twinpath.core.event.FailureClass;
import io.twinpath.core.event.Listeners;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.Json;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.MalformedCommandException;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.core.wire.RejectedCommandException;
import io.twinpath.core.wire.ReplayGuard;
import io.twinpath.core.wire.SequenceCounter;
import io.twinpath.core.wire.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send coordinator of one device. Every device runs the same one (symmetric), configured with
 * the same ordered device list; the device that queues an item (its origin) calls {@link #submit}.
 *
 * <p>It copies items to peers before they are needed, holds or passes the turn under per-item
 * epochs, fails over on temporary failures, stops everywhere on success, takes over when the
 * holder's last will fires, and learns outcomes after a restart before attempting anything. The
 * rules are in {@code docs/PROTOCOL.md}; the decisions are {@link TransitionTable}'s; this class
 * does the I/O. All state changes happen on one engine thread.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private static final int RECENT = 50;
  private static final Set<String> ENGINE_TYPES =
      Set.of("copy.offer", "copy.chunk", "copy.ack", "turn", "outcome", "sync", "synced");
  private static final Duration COPY_WATCHDOG = Duration.ofSeconds(3);

  private final DeviceId self;
  private final List<DeviceId> order;
  private final int selfIndex;
  private final ItemStore store;
  private final @Nullable SendPath path;
  private final Clock clock;
  private final CoordinatorSettings settings;
  private final LinkSettings linkSettings;
  private final Path recordsDir;
  private final DeviceKeys keys;
  private final PairingStore pairing;
  private final CommandCodec codec;
  private final TwinpathListener events;
  private final ScheduledExecutorService loop;
  private final Scheduler scheduler;
  private final ExecutorService attempts;
  private final Random random = new Random();
  private final Map<String, CommandHandler> extraHandlers;
  private volatile @Nullable MqttLink link;
  private volatile boolean closed;

  // engine-thread state
  private final Map<ItemId, ItemRecord> items = new HashMap<>();
  private final Map<DeviceId, Boolean> presence = new HashMap<>();
  private final Map<DeviceId, Long> presenceConn = new HashMap<>();
  private final Map<ItemId, Scheduler.Cancellable> takeoverTimers = new HashMap<>();
  private final Map<ItemId, Scheduler.Cancellable> backoffTimers = new HashMap<>();
  private final Map<ItemId, Scheduler.Cancellable> expiryTimers = new HashMap<>();
  private final Map<ItemId, Map<DeviceId, CopyOut>> copiesOut = new HashMap<>();
  private final Map<ItemId, CopyIn> copiesIn = new HashMap<>();
  private final Set<ItemId> running = new HashSet<>();
  private final Set<DeviceId> syncAnswered = new HashSet<>();

  /**
   * Items this device holds the turn of that wait, after a restart, for peers that did not answer
   * and could have taken them over meanwhile.
   */
  private final Map<ItemId, Set<DeviceId>> waitingFor = new HashMap<>();

  /** When this device was last known connected before this start (its alive mark), or null. */
  private @Nullable Instant lastAlive;

  private Scheduler.@Nullable Cancellable syncTimer;
  private final Deque<DeviceStatus.Outcome> recent = new ArrayDeque<>();
  private @Nullable Instant lastAttemptAt;
  private @Nullable String lastError;
  private @Nullable Boolean pathOk;
  private boolean statusDirty;
  private boolean statusFlushScheduled;

  private Coordinator(Builder b) throws IOException {
    this.self = Objects.requireNonNull(b.device, "device is required");
    this.order = List.copyOf(Objects.requireNonNull(b.order, "order is required"));
    this.selfIndex = order.indexOf(self);
    this.store = Objects.requireNonNull(b.store, "an item store (spool) is required");
    this.path = b.path;
    this.extraHandlers = Map.copyOf(b.handlers);
    this.clock = b.clock;
    this.settings = b.settings;
    this.linkSettings = Objects.requireNonNull(b.linkSettings, "broker settings are required");
    Path dataDir = Objects.requireNonNull(b.dataDir, "dataDir is required");
    this.recordsDir = dataDir.resolve("engine");
    Files.createDirectories(recordsDir);
    this.keys = DeviceKeys.loadOrCreate(dataDir, self);
    this.pairing = PairingStore.open(dataDir.resolve("peers.json"));
    this.codec =
        new CommandCodec(
            keys,
            SequenceCounter.open(dataDir.resolve("sequence")),
            pairing,
            ReplayGuard.open(dataDir.resolve("replay.json")),
            clock);
    List<TwinpathListener> all = new ArrayList<>(b.listeners);
    all.add(new EventsTopicListener(self, () -> link, clock));
    this.events = Listeners.fanOut(all);
    String name = "twinpath-" + self.value();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name + "-engine");
              t.setDaemon(true);
              return t;
            });
    this.scheduler = b.scheduler != null ? b.scheduler : new LoopScheduler(loop);
    this.attempts =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, name + "-attempt");
              t.setDaemon(true);
              return t;
            });
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
    call(
        () -> {
          lastAlive = readAliveMark();
          loadRecords();
          return null;
        });
    try {
      MqttLink l = MqttLink.start(linkSettings, clock, this::onMessage);
      l.onConnect(
          () ->
              post(
                  () -> {
                    writeAliveMark();
                    reofferCopies();
                  }));
      this.link = l;
    } catch (MqttException e) {
      throw new IOException("cannot create the MQTT client: " + e.getMessage(), e);
    }
    loop.scheduleWithFixedDelay(
        () -> {
          try {
            copyWatchdog();
          } catch (RuntimeException e) {
            LOG.error("{}: copy watchdog failed", self, e);
          }
        },
        COPY_WATCHDOG.toMillis(),
        COPY_WATCHDOG.toMillis(),
        TimeUnit.MILLISECONDS);
    call(
        () -> {
          resumeAfterStart();
          prune();
          return null;
        });
    schedulePrune();
    long aliveEvery = Math.max(1000, Math.min(60_000, settings.takeoverDelay().toMillis() / 4));
    loop.scheduleWithFixedDelay(
        () -> {
          MqttLink l = link;
          if (l != null && l.isConnected()) {
            writeAliveMark();
          }
        },
        0,
        aliveEvery,
        TimeUnit.MILLISECONDS);
    return this;
  }

  private Path aliveMark() {
    return recordsDir.resolve("alive");
  }

  /**
   * Notes that this device is connected now (not forced to disk: after a power loss the mark is
   * older, which only makes the next start more careful).
   */
  private void writeAliveMark() {
    try {
      io.twinpath.core.wire.internal.AtomicFiles.write(
          aliveMark(),
          clock.instant().toString().getBytes(StandardCharsets.US_ASCII),
          false,
          false);
    } catch (IOException e) {
      LOG.debug("{}: cannot write the alive mark: {}", self, e.getMessage());
    }
  }

  private @Nullable Instant readAliveMark() {
    try {
      return Instant.parse(Files.readString(aliveMark(), StandardCharsets.US_ASCII).trim());
    } catch (IOException | java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private void schedulePrune() {
    long every = Math.max(1000, Math.min(3_600_000, settings.recordRetention().toMillis() / 4));
    scheduler.schedule(
        Duration.ofMillis(every),
        () ->
            post(
                () -> {
                  prune();
                  schedulePrune();
                }));
  }

  /**
   * Forgets finished items whose record outlived {@code recordRetention} after the later of their
   * finish and their expiry. Until then the record answers late commands with the outcome; after
   * it, the item has expired, so commands about it are refused instead of starting it again.
   */
  private void prune() {
    Instant now = clock.instant();
    List<ItemId> gone = new ArrayList<>();
    for (ItemRecord r : items.values()) {
      if (r.phase != Phase.DONE) {
        continue;
      }
      if (r.doneAt == null) {
        r.doneAt = now; // finished before records said when: count from now
        save(r);
        continue;
      }
      Instant from = r.doneAt.isAfter(r.meta.expiresAt()) ? r.doneAt : r.meta.expiresAt();
      if (!now.isBefore(from.plus(settings.recordRetention()))) {
        gone.add(r.meta.id());
      }
    }
    for (ItemId id : gone) {
      try {
        Files.deleteIfExists(recordsDir.resolve(id + ".json"));
      } catch (IOException e) {
        LOG.warn("{}: could not remove the record of {}: {}", self, id, e.getMessage());
        continue;
      }
      items.remove(id);
      String prefix = id + "/";
      reported.removeIf(k -> k.startsWith(prefix));
    }
    if (!gone.isEmpty()) {
      LOG.info("{}: forgot {} finished item(s) past their retention", self, gone.size());
    }
  }

  /**
   * True (after refusing the command) when it is about an item not known here whose expiry has
   * passed: one finished and forgotten, or a stale command; it must not start anything again.
   */
  private boolean refuseForgotten(Command c, ItemMeta meta) {
    if (items.containsKey(meta.id()) || clock.instant().isBefore(meta.expiresAt())) {
      return false;
    }
    reject(
        c,
        "item "
            + meta.id()
            + " expired at "
            + meta.expiresAt()
            + " and is not known here (finished and forgotten, or never seen): nothing to do");
    return true;
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
    return events;
  }

  /** The MQTT link, once started. */
  public Optional<MqttLink> link() {
    return Optional.ofNullable(link);
  }

  /**
   * Starts sending an item this device queued in its store: copies it to every peer and attempts at
   * once on this device's path.
   *
   * @throws IllegalArgumentException when the store does not hold the item or it is not from here
   */
  public void submit(ItemMeta item) {
    call(
        () -> {
          if (!item.origin().equals(self)) {
            throw new IllegalArgumentException(
                "item " + item.id() + " comes from " + item.origin() + "; submit it there");
          }
          if (store.get(item.id()).isEmpty()) {
            throw new IllegalArgumentException("item " + item.id() + " is not in the store");
          }
          if (items.containsKey(item.id())) {
            return null;
          }
          ItemRecord r = new ItemRecord(item);
          r.epoch = selfIndex;
          r.holder = self;
          r.copyComplete = true;
          items.put(item.id(), r);
          scheduleExpiry(r);
          fire(r, Trigger.SUBMITTED, Ctx.NONE);
          return null;
        });
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
    Objects.requireNonNull(type, "type");
    if (ENGINE_TYPES.contains(type)) {
      throw new IllegalArgumentException("'" + type + "' is a command type of the engine itself");
    }
    post(() -> send(type, to, fields.deepCopy()));
  }

  /** A snapshot of this device's status. */
  public DeviceStatus status() {
    return call(this::snapshot);
  }

  /** The outcome recorded for an item, once finished. */
  public Optional<DeviceStatus.Outcome> outcome(ItemId id) {
    return call(
        () -> {
          ItemRecord r = items.get(id);
          return r == null || r.result == null ? Optional.empty() : Optional.of(outcomeOf(r));
        });
  }

  /**
   * Attempts an unfinished item now instead of at the end of its backoff: when this device holds
   * the turn and waits out a backoff, the attempt starts at once; when the holder is offline and
   * this device is the next after it, this device takes the turn now instead of after {@code
   * takeoverDelay}. Otherwise (another device holds the turn and is online, the copy is not
   * complete, the item is finished) nothing changes and the answer says why.
   */
  public OperationResult attemptNow(ItemId id) {
    return call(
        () -> {
          ItemRecord r = items.get(id);
          if (r == null) {
            return new OperationResult(false, "item " + id + " is not known on " + self);
          }
          DeviceId h = r.holder;
          switch (r.phase) {
            case DONE:
              return new OperationResult(false, "item " + id + " is finished: " + r.result);
            case ATTEMPTING:
              return new OperationResult(
                  true, "item " + id + " is being attempted right now on " + self);
            case BACKOFF:
              cancel(backoffTimers, id);
              fire(r, Trigger.BACKOFF_DUE, Ctx.NONE);
              return new OperationResult(true, "item " + id + " is attempted now on " + self);
            case WAIT_COPY:
              return new OperationResult(
                  false,
                  "item "
                      + id
                      + " waits for its copy from "
                      + r.meta.origin()
                      + "; "
                      + self
                      + " attempts it as soon as the copy is complete");
            case SYNCING:
              if (waitingFor.containsKey(id)) {
                r.lastFailure = null;
                endSync(r);
                return new OperationResult(
                    true,
                    "item "
                        + id
                        + " no longer waits for the peers that did not answer; "
                        + self
                        + " goes on with it now (if one of them sent it meanwhile, it is"
                        + " delivered twice)");
              }
              return new OperationResult(
                  false,
                  self
                      + " restarted and is asking its peers about item "
                      + id
                      + "; it goes on in a moment");
            default:
              if (h != null && !h.equals(self) && !isOnline(h) && isNextAfter(h)) {
                cancel(takeoverTimers, id);
                fire(
                    r,
                    r.copyComplete ? Trigger.TAKEOVER_DUE_WITH_COPY : Trigger.TAKEOVER_DUE_NO_COPY,
                    Ctx.NONE);
                return new OperationResult(
                    true,
                    h
                        + " holds the turn of item "
                        + id
                        + " and is offline; "
                        + self
                        + " took the turn and attempts "
                        + (r.copyComplete ? "now" : "once its copy is complete"));
              }
              return new OperationResult(
                  false,
                  "item "
                      + id
                      + " is in "
                      + h
                      + "'s hands ("
                      + (isOnline(h) ? "online" : "offline")
                      + "); it attempts on its own schedule and passes the turn back on failure");
          }
        });
  }

  /**
   * Cancels an unfinished item this device queued: it is sent no more, every peer is told to delete
   * its copy ({@code outcome cancelled}), and this device deletes its own. Refused while this
   * device is attempting it (the attempt cannot be taken back halfway): try again when it ended. A
   * peer that is attempting it at this moment finishes that attempt; if it delivers, the item is
   * reported delivered, not cancelled.
   */
  public OperationResult cancel(ItemId id) {
    return call(
        () -> {
          ItemRecord r = items.get(id);
          if (r == null) {
            return new OperationResult(false, "item " + id + " is not known on " + self);
          }
          if (r.phase == Phase.DONE) {
            return new OperationResult(false, "item " + id + " is already finished: " + r.result);
          }
          if (!r.meta.origin().equals(self)) {
            return new OperationResult(
                false, "item " + id + " was queued on " + r.meta.origin() + "; cancel it there");
          }
          if (r.phase == Phase.ATTEMPTING || running.contains(id)) {
            return new OperationResult(
                false,
                "item "
                    + id
                    + " is being attempted right now on "
                    + self
                    + "; try again when the attempt has ended");
          }
          DeviceId h = r.holder;
          fire(r, Trigger.CANCELLED, Ctx.NONE);
          String msg = "item " + id + " is cancelled; every peer is told to delete its copy";
          if (h != null && !h.equals(self)) {
            msg +=
                "; if "
                    + h
                    + " is sending it at this very moment, that attempt may still deliver it"
                    + " (status then says delivered)";
          }
          return new OperationResult(true, msg);
        });
  }

  /** Announces offline, disconnects and stops. Running attempts finish on their own threads. */
  @Override
  public void close() {
    shutdown(false);
  }

  /**
   * Stops as a crash would: the MQTT connection is dropped without a word (the broker publishes the
   * last will) and nothing more is written. For tests and demos of takeover.
   */
  public void crash() {
    shutdown(true);
  }

  private void shutdown(boolean abrupt) {
    if (closed) {
      return;
    }
    closed = true;
    MqttLink l = link;
    if (l != null && !abrupt && l.isConnected()) {
      writeAliveMark(); // peers start counting towards a takeover from the offline below
    }
    if (l != null) {
      if (abrupt) {
        l.abort();
      } else {
        l.close();
      }
    }
    loop.shutdownNow();
    attempts.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- engine thread plumbing

  private <T> T call(Callable<T> task) {
    if (closed) {
      throw new IllegalStateException("the coordinator of " + self + " is closed");
    }
    try {
      return loop.submit(task).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof IOException) {
        throw new UncheckedIOException((IOException) c);
      }
      throw new IllegalStateException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the engine of " + self + " did not answer in 30 s", e);
    }
  }

  private void post(Runnable task) {
    if (closed) {
      return;
    }
    try {
      loop.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.error("{}: engine task failed", self, e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("{}: engine stopped; task dropped", self);
    }
  }

  /** Called on the link's receive thread; returns once handled so the broker ack follows. */
  private void onMessage(String topic, byte[] payload, boolean duplicate) {
    if (closed) {
      return;
    }
    try {
      loop.submit(
              () -> {
                try {
                  handleMessage(topic, payload, duplicate);
                } catch (RuntimeException e) {
                  LOG.error("{}: handling a message on {} failed", self, topic, e);
                }
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("{}: message on {} not handled: {}", self, topic, e.toString());
    }
  }

  // ---------------------------------------------------------------- start-up

  private void loadRecords() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(recordsDir, "*.json")) {
      for (Path f : ds) {
        try {
          ItemRecord r = ItemRecord.load(f);
          items.put(r.meta.id(), r);
        } catch (IOException e) {
          LOG.error("{}: {}; the record is set aside", self, e.getMessage());
          Files.move(f, f.resolveSibling(f.getFileName() + ".damaged"));
        }
      }
    }
    // complete copies the store holds but whose record is missing: adopt them as waiting
    for (ItemMeta m : store.list()) {
      if (!items.containsKey(m.id())) {
        ItemRecord r = new ItemRecord(m);
        r.copyComplete = true;
        r.holder = m.origin();
        r.epoch = Math.max(0, order.indexOf(m.origin()));
        items.put(m.id(), r);
        save(r);
      }
    }
  }

  private void resumeAfterStart() {
    List<ItemId> toSync = new ArrayList<>();
    for (ItemRecord r : new ArrayList<>(items.values())) {
      if (r.phase == Phase.DONE) {
        continue;
      }
      r.copyComplete = store.get(r.meta.id()).isPresent();
      scheduleExpiry(r);
      fire(r, Trigger.RESTARTED, Ctx.NONE);
      toSync.add(r.meta.id());
      if (r.meta.origin().equals(self) && r.copyComplete) {
        offerCopies(r, null, false);
      }
    }
    if (!toSync.isEmpty()) {
      JsonObject f = new JsonObject();
      f.add("items", ids(toSync));
      for (DeviceId peer : peers()) {
        send("sync", peer, f);
      }
      syncTimer = scheduler.schedule(settings.syncTimeout(), () -> post(this::finishSync));
    }
    markStatusDirty();
  }

  private void finishSync() {
    Scheduler.Cancellable t = syncTimer;
    if (t != null) {
      t.cancel();
      syncTimer = null;
    }
    Duration away = lastAlive == null ? null : Duration.between(lastAlive, clock.instant());
    // a peer takes the turn over only takeoverDelay after this device went away: a shorter
    // absence (from the last alive mark to the end of this wait) cannot have let one do it
    boolean longAway = away == null || away.compareTo(settings.takeoverDelay()) >= 0;
    for (ItemRecord r : new ArrayList<>(items.values())) {
      if (r.phase != Phase.SYNCING) {
        continue;
      }
      if (Objects.equals(self, r.holder) && longAway) {
        Set<DeviceId> risky = new java.util.TreeSet<>();
        for (String d : r.copiedTo) {
          DeviceId peer = DeviceId.of(d);
          if (order.contains(peer) && !syncAnswered.contains(peer)) {
            risky.add(peer); // it holds a complete copy, did not answer, and had time to send
          }
        }
        if (!risky.isEmpty()) {
          waitingFor.put(r.meta.id(), risky);
          r.lastFailure =
              "waiting for "
                  + risky
                  + ": it may have sent the item while this device was away; queue retry sends"
                  + " it anyway";
          LOG.warn(
              "{}: {} waits for {}, which may have taken it over while {} was away ({}); retry it"
                  + " to send it anyway",
              self,
              r.meta.id(),
              risky,
              self,
              away == null ? "for an unknown time" : away.toSeconds() + " s");
          markStatusDirty();
          continue;
        }
      }
      endSync(r);
    }
  }

  /** The sync of an item is over: it goes on as the holder or waits for the holder. */
  private void endSync(ItemRecord r) {
    waitingFor.remove(r.meta.id());
    if (r.phase != Phase.SYNCING) {
      return;
    }
    if (Objects.equals(self, r.holder)) {
      fire(
          r,
          r.copyComplete ? Trigger.SYNCED_HOLDER_WITH_COPY : Trigger.SYNCED_HOLDER_NO_COPY,
          Ctx.NONE);
    } else {
      fire(r, Trigger.SYNCED_NOT_HOLDER, Ctx.NONE);
    }
  }

  // ---------------------------------------------------------------- the table, applied

  /** Extra data an action needs. */
  private static final class Ctx {
    static final Ctx NONE = new Ctx();
    @Nullable JsonObject turn;
    @Nullable AttemptResult result;
    @Nullable DeviceId from;
    @Nullable JsonObject outcome;
    @Nullable String why;
  }

  private void fire(ItemRecord r, Trigger trigger, Ctx ctx) {
    Phase before = r.phase;
    Transition t = TransitionTable.next(before, trigger);
    if (t.next() != before || !t.actions().isEmpty()) {
      LOG.debug("{}: {} {} x {} -> {}", self, r.meta.id(), before, trigger, t);
    }
    r.phase = t.next();
    for (Action a : t.actions()) {
      act(r, a, trigger, ctx);
    }
    if (r.phase != Phase.BACKOFF) {
      cancel(backoffTimers, r.meta.id());
    }
    if (t.next() != before || !t.actions().isEmpty()) {
      save(r);
      markStatusDirty();
    }
    if (r.phase == Phase.WAITING && before != Phase.WAITING) {
      checkHolderPresence(r);
    }
  }

  private void act(ItemRecord r, Action a, Trigger trigger, Ctx ctx) {
    ItemId id = r.meta.id();
    switch (a) {
      case START_COPY:
        offerCopies(r, null, true);
        break;
      case START_ATTEMPT:
        startAttempt(r);
        break;
      case SCHEDULE_ATTEMPT:
        {
          long delay = trigger == Trigger.SYNCED_HOLDER_WITH_COPY ? 0 : r.delayMs;
          long epoch = r.epoch;
          cancel(backoffTimers, id);
          backoffTimers.put(
              id,
              scheduler.schedule(
                  Duration.ofMillis(delay),
                  () ->
                      post(
                          () -> {
                            ItemRecord x = items.get(id);
                            if (x != null && x.epoch == epoch) {
                              backoffTimers.remove(id);
                              fire(x, Trigger.BACKOFF_DUE, Ctx.NONE);
                            }
                          })));
          break;
        }
      case PASS_TURN:
        passTurn(r, ctx);
        break;
      case TAKE_TURN:
        {
          DeviceId offline = r.holder;
          r.epoch = nextEpochFor(r.epoch, selfIndex);
          r.holder = self;
          r.delayMs = 0;
          broadcastTurn(r, "takeover: " + offline + " went offline holding the turn", null, true);
          if (offline != null) {
            events.takeover(id, offline, self, r.epoch);
          }
          break;
        }
      case ADOPT_EPOCH:
        adoptTurn(r, Objects.requireNonNull(ctx.turn));
        break;
      case COUNT_DUPLICATE:
        r.duplicates++;
        events.possibleDuplicate(id, self, r.duplicates);
        break;
      case RECORD_FAILURE:
        {
          AttemptResult res = ctx.result;
          if (res != null) {
            r.lastFailure = res.reply();
            r.lastFailureClass = failureClass(res.outcome()).name();
            events.attemptFailed(id, self, failureClass(res.outcome()), res.reply());
          }
          break;
        }
      case ANNOUNCE_OUTCOME:
        decideOutcome(r, trigger, ctx);
        broadcastOutcome(r);
        break;
      case MARK_CANCELLED:
        r.result = ItemRecord.CANCELLED;
        r.resultAt = clock.instant();
        r.resultPath = self;
        r.resultReply = "cancelled on " + self;
        break;
      case MARK_EXPIRED:
        r.result = ItemRecord.EXPIRED;
        r.resultAt = clock.instant();
        r.resultPath = null;
        r.resultReply = "expired at " + r.meta.expiresAt() + " without delivery";
        break;
      case FINISH:
        finish(r, ctx);
        break;
      case REPLY_OUTCOME:
        if (ctx.from != null) {
          send("outcome", ctx.from, outcomeFields(r));
        }
        break;
      case REJECT_STALE:
        events.commandRejected(
            ctx.from == null ? null : ctx.from.value(),
            ctx.why == null ? "a stale turn for item " + id : ctx.why);
        break;
      case SCHEDULE_TAKEOVER:
        {
          if (takeoverTimers.containsKey(id)) {
            break;
          }
          DeviceId holder = r.holder;
          long epoch = r.epoch;
          takeoverTimers.put(
              id,
              scheduler.schedule(
                  settings.takeoverDelay(),
                  () ->
                      post(
                          () -> {
                            takeoverTimers.remove(id);
                            ItemRecord x = items.get(id);
                            if (x != null
                                && x.epoch == epoch
                                && Objects.equals(x.holder, holder)
                                && !isOnline(holder)
                                && isNextAfter(holder)) {
                              fire(
                                  x,
                                  x.copyComplete
                                      ? Trigger.TAKEOVER_DUE_WITH_COPY
                                      : Trigger.TAKEOVER_DUE_NO_COPY,
                                  Ctx.NONE);
                            }
                          })));
          LOG.info(
              "{}: {} holds the turn of {} and went offline; taking over in {} unless it returns",
              self,
              holder,
              id,
              settings.takeoverDelay());
          break;
        }
      case CANCEL_TAKEOVER:
        cancel(takeoverTimers, id);
        break;
      case REQUEST_SYNC:
        // the request itself is sent once for all items by resumeAfterStart
        break;
    }
  }

  private static FailureClass failureClass(AttemptResult.Outcome o) {
    switch (o) {
      case PERMANENT:
        return FailureClass.PERMANENT;
      case AMBIGUOUS:
        return FailureClass.AMBIGUOUS;
      default:
        return FailureClass.TEMPORARY;
    }
  }

  // ---------------------------------------------------------------- attempts

  private void startAttempt(ItemRecord r) {
    ItemId id = r.meta.id();
    if (running.contains(id)) {
      return; // the running attempt's result decides
    }
    SendPath p = path;
    r.attempts++;
    long epoch = r.epoch;
    lastAttemptAt = clock.instant();
    events.attemptStarted(id, self, epoch, r.attempts);
    if (p == null) {
      AttemptResult none = AttemptResult.temporary(self + " has no send path configured");
      post(() -> onAttemptResult(id, none));
      running.add(id);
      return;
    }
    Set<String> skip = Set.copyOf(r.settled());
    ItemMeta meta = r.meta;
    running.add(id);
    attempts.execute(
        () -> {
          AttemptResult res;
          try (InputStream in = store.open(id)) {
            res = p.attempt(meta, in, skip);
          } catch (IOException e) {
            res = AttemptResult.temporary("the item's bytes could not be read: " + e.getMessage());
          } catch (RuntimeException e) {
            LOG.error("{}: the send path threw for {}", self, id, e);
            res = AttemptResult.temporary("the send path failed: " + e);
          }
          AttemptResult done = res;
          post(() -> onAttemptResult(id, done));
        });
  }

  private void onAttemptResult(ItemId id, AttemptResult res) {
    running.remove(id);
    ItemRecord r = items.get(id);
    if (r == null) {
      return;
    }
    lastAttemptAt = clock.instant();
    r.accepted.addAll(res.accepted());
    r.refused.putAll(res.refused());
    Ctx ctx = new Ctx();
    ctx.result = res;
    Trigger t;
    switch (res.outcome()) {
      case DELIVERED:
        pathOk = true;
        lastError = null;
        t = r.refused.isEmpty() ? Trigger.ATTEMPT_DELIVERED : Trigger.ATTEMPT_PERMANENT;
        break;
      case PERMANENT:
        pathOk = true;
        lastError = res.reply();
        t =
            r.allRecipientsSettled() && !r.accepted.isEmpty() && r.refused.isEmpty()
                ? Trigger.ATTEMPT_DELIVERED
                : Trigger.ATTEMPT_PERMANENT;
        break;
      case AMBIGUOUS:
        pathOk = false;
        lastError = res.reply();
        t = canPass(r) ? Trigger.ATTEMPT_AMBIGUOUS_PASS : Trigger.ATTEMPT_AMBIGUOUS_KEEP;
        break;
      default:
        pathOk = false;
        lastError = res.reply();
        t = canPass(r) ? Trigger.ATTEMPT_TEMPORARY_PASS : Trigger.ATTEMPT_TEMPORARY_KEEP;
        break;
    }
    boolean expired = !clock.instant().isBefore(r.meta.expiresAt());
    if (expired && (t == Trigger.ATTEMPT_TEMPORARY_PASS || t == Trigger.ATTEMPT_AMBIGUOUS_PASS)) {
      t =
          t == Trigger.ATTEMPT_TEMPORARY_PASS
              ? Trigger.ATTEMPT_TEMPORARY_KEEP
              : Trigger.ATTEMPT_AMBIGUOUS_KEEP;
    }
    if (t == Trigger.ATTEMPT_TEMPORARY_KEEP || t == Trigger.ATTEMPT_AMBIGUOUS_KEEP) {
      if (r.phase == Phase.ATTEMPTING) {
        r.round++;
        r.delayMs = jittered(settings.backoff(r.round));
      }
    }
    fire(r, t, ctx);
    if (expired && r.phase != Phase.DONE && r.phase != Phase.ATTEMPTING) {
      fire(r, Trigger.EXPIRED, Ctx.NONE);
    }
  }

  private boolean canPass(ItemRecord r) {
    return nextReachable() != null;
  }

  /** The next device after this one in the order that is online, or null. */
  private @Nullable DeviceId nextReachable() {
    for (int i = 1; i < order.size(); i++) {
      DeviceId d = order.get((selfIndex + i) % order.size());
      if (isOnline(d)) {
        return d;
      }
    }
    return null;
  }

  private long jittered(Duration d) {
    long ms = d.toMillis();
    if (ms == 0 || settings.jitter() == 0) {
      return ms;
    }
    double spread = settings.jitter() * (2 * random.nextDouble() - 1);
    return Math.max(0, Math.round(ms * (1 + spread)));
  }

  /** The smallest epoch above {@code current} that belongs to device {@code index}. */
  long nextEpochFor(long current, int index) {
    int n = order.size();
    long base = current - Math.floorMod(current, n) + index;
    return base > current ? base : base + n;
  }

  private void passTurn(ItemRecord r, Ctx ctx) {
    DeviceId next = nextReachable();
    if (next == null) {
      return; // canPass said yes a moment ago; the trigger guarantees it
    }
    int nextIndex = order.indexOf(next);
    if (nextIndex <= selfIndex) {
      r.round++;
    }
    r.delayMs = jittered(settings.backoff(r.round));
    r.epoch = nextEpochFor(r.epoch, nextIndex);
    r.holder = next;
    AttemptResult res = ctx.result;
    String reason = res == null ? "passed" : res.reply();
    broadcastTurn(r, reason, res == null ? null : failureClass(res.outcome()), false);
    events.turnPassed(r.meta.id(), self, next, r.epoch, reason);
  }

  private void adoptTurn(ItemRecord r, JsonObject turn) {
    r.epoch = turn.get("epoch").getAsLong();
    r.holder = DeviceId.of(turn.get("holder").getAsString());
    r.round = Math.max(r.round, turn.get("round").getAsInt());
    r.delayMs = turn.get("delayMs").getAsLong();
    r.attempts = Math.max(r.attempts, turn.get("attempts").getAsInt());
    r.duplicates = Math.max(r.duplicates, turn.get("duplicates").getAsInt());
    mergeRecipients(r, turn);
    String reason = Json.string(turn, "reason");
    if (reason != null && !reason.startsWith("sync")) {
      r.lastFailure = reason;
      r.lastFailureClass = Json.string(turn, "failure");
    }
  }

  /**
   * Checks the optional recipient lists of a turn or outcome before any of them changes a record:
   * {@code accepted} is a list of addresses, {@code refused} maps addresses to reply text.
   */
  private static void checkRecipients(Command c) throws MalformedCommandException {
    JsonElement acc = c.body().get("accepted");
    if (acc != null && !acc.isJsonNull()) {
      if (!acc.isJsonArray()) {
        throw new MalformedCommandException(
            "the " + c.type() + " command's 'accepted' is not a list of addresses: " + acc);
      }
      for (JsonElement e : acc.getAsJsonArray()) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
          throw new MalformedCommandException(
              "the " + c.type() + " command's 'accepted' holds " + e + ", which is not an address");
        }
      }
    }
    JsonElement ref = c.body().get("refused");
    if (ref != null && !ref.isJsonNull()) {
      if (!ref.isJsonObject()) {
        throw new MalformedCommandException(
            "the " + c.type() + " command's 'refused' is not a map of address to reply: " + ref);
      }
      for (var e : ref.getAsJsonObject().entrySet()) {
        JsonElement v = e.getValue();
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
          throw new MalformedCommandException(
              "the "
                  + c.type()
                  + " command's 'refused' reply for "
                  + e.getKey()
                  + " is not text: "
                  + v);
        }
      }
    }
  }

  private static void mergeRecipients(ItemRecord r, JsonObject o) {
    JsonArray acc = o.getAsJsonArray("accepted");
    if (acc != null) {
      for (JsonElement e : acc) {
        r.accepted.add(e.getAsString());
      }
    }
    JsonObject ref = o.getAsJsonObject("refused");
    if (ref != null) {
      for (var e : ref.entrySet()) {
        r.refused.put(e.getKey(), e.getValue().getAsString());
      }
    }
  }

  // ---------------------------------------------------------------- outcomes

  private void decideOutcome(ItemRecord r, Trigger trigger, Ctx ctx) {
    if (trigger == Trigger.EXPIRED || trigger == Trigger.CANCELLED) {
      return; // MARK_EXPIRED or MARK_CANCELLED set it
    }
    AttemptResult res = ctx.result;
    if (res == null) {
      return;
    }
    boolean delivered = trigger == Trigger.ATTEMPT_DELIVERED;
    if (ItemRecord.DELIVERED.equals(r.result) && !delivered) {
      return;
    }
    r.result = delivered ? ItemRecord.DELIVERED : ItemRecord.FAILED;
    r.resultPath = self;
    r.resultAt = clock.instant();
    r.resultReply = res.reply();
  }

  private void finish(ItemRecord r, Ctx ctx) {
    ItemId id = r.meta.id();
    String before = r.result == null ? null : r.result + "@" + r.resultPath;
    JsonObject o = ctx.outcome;
    if (o != null) {
      String result = o.get("result").getAsString();
      boolean better = r.result == null || rank(result) > rank(r.result);
      mergeRecipients(r, o);
      r.duplicates = Math.max(r.duplicates, o.get("duplicates").getAsInt());
      if (better) {
        r.result = result;
        String p = Json.string(o, "path");
        r.resultPath = p == null ? null : DeviceId.of(p);
        String at = Json.string(o, "at");
        r.resultAt = at == null ? clock.instant() : Instant.parse(at);
        r.resultReply = Json.string(o, "reply");
      }
    }
    if (r.doneAt == null) {
      r.doneAt = clock.instant();
    }
    cancel(takeoverTimers, id);
    cancel(backoffTimers, id);
    cancel(expiryTimers, id);
    Map<DeviceId, CopyOut> outs = copiesOut.remove(id);
    if (outs != null) {
      outs.values().forEach(CopyOut::close);
    }
    copiesIn.remove(id);
    r.copyComplete = false;
    try {
      store.delete(id);
    } catch (IOException e) {
      LOG.error("{}: could not delete the copy of {}: {}", self, id, e.getMessage());
    }
    String after = r.result == null ? null : r.result + "@" + r.resultPath;
    if (!Objects.equals(before, after) || o == null) {
      report(r);
    }
  }

  private static int rank(String result) {
    switch (result) {
      case ItemRecord.DELIVERED:
        return 3;
      case ItemRecord.FAILED:
        return 2;
      default:
        return 1;
    }
  }

  private final Set<String> reported = new HashSet<>();

  private void report(ItemRecord r) {
    String key = r.meta.id() + "/" + r.result + "/" + r.resultPath;
    if (!reported.add(key) || r.result == null) {
      return;
    }
    recent.removeIf(x -> x.item().equals(r.meta.id()));
    recent.addFirst(outcomeOf(r));
    while (recent.size() > RECENT) {
      recent.removeLast();
    }
    DeviceId p = r.resultPath == null ? self : r.resultPath;
    switch (r.result) {
      case ItemRecord.DELIVERED:
        events.delivered(
            r.meta.id(),
            p,
            r.resultAt == null ? clock.instant() : r.resultAt,
            r.resultReply == null ? "" : r.resultReply);
        break;
      case ItemRecord.FAILED:
        events.failed(
            r.meta.id(), p, r.resultReply == null ? "" : r.resultReply, Map.copyOf(r.refused));
        break;
      case ItemRecord.CANCELLED:
        events.cancelled(r.meta.id(), p);
        break;
      default:
        events.expired(r.meta.id(), r.meta.expiresAt());
        break;
    }
  }

  private DeviceStatus.Outcome outcomeOf(ItemRecord r) {
    return new DeviceStatus.Outcome(
        r.meta.id(),
        r.result == null ? "unknown" : r.result,
        r.resultPath,
        r.resultAt,
        r.resultReply,
        r.duplicates,
        r.refused);
  }

  // ---------------------------------------------------------------- commands out

  private List<DeviceId> peers() {
    List<DeviceId> p = new ArrayList<>(order);
    p.remove(self);
    return p;
  }

  private void send(String type, DeviceId to, JsonObject fields) {
    MqttLink l = link;
    if (l == null || closed) {
      return;
    }
    l.publish(Topics.inbox(to), codec.seal(type, to, fields), false);
  }

  /** Sends a command with raw bytes attached (the binary frame). */
  private void send(String type, DeviceId to, JsonObject fields, byte[] data) {
    MqttLink l = link;
    if (l == null || closed) {
      return;
    }
    l.publish(Topics.inbox(to), codec.seal(type, to, fields, data), false);
  }

  private JsonObject turnFields(
      ItemRecord r, String reason, @Nullable FailureClass failure, boolean takeover) {
    JsonObject f = new JsonObject();
    f.addProperty("item", r.meta.id().toString());
    f.add("meta", r.meta.toJson());
    f.addProperty("epoch", r.epoch);
    f.addProperty("holder", Objects.requireNonNull(r.holder).value());
    f.addProperty("reason", reason);
    if (failure != null) {
      f.addProperty("failure", failure.name());
    }
    f.addProperty("round", r.round);
    f.addProperty("delayMs", r.delayMs);
    f.addProperty("attempts", r.attempts);
    f.add("accepted", ItemRecord.strings(r.accepted));
    f.add("refused", ItemRecord.map(r.refused));
    f.addProperty("duplicates", r.duplicates);
    f.addProperty("takeover", takeover);
    return f;
  }

  private void broadcastTurn(
      ItemRecord r, String reason, @Nullable FailureClass failure, boolean takeover) {
    JsonObject f = turnFields(r, reason, failure, takeover);
    for (DeviceId peer : peers()) {
      send("turn", peer, f);
    }
  }

  private JsonObject outcomeFields(ItemRecord r) {
    JsonObject f = new JsonObject();
    f.addProperty("item", r.meta.id().toString());
    f.addProperty("result", r.result == null ? ItemRecord.EXPIRED : r.result);
    f.addProperty("path", r.resultPath == null ? null : r.resultPath.value());
    f.addProperty("at", r.resultAt == null ? null : r.resultAt.toString());
    f.addProperty("reply", r.resultReply);
    f.add("accepted", ItemRecord.strings(r.accepted));
    f.add("refused", ItemRecord.map(r.refused));
    f.addProperty("duplicates", r.duplicates);
    f.addProperty("epoch", r.epoch);
    return f;
  }

  private void broadcastOutcome(ItemRecord r) {
    JsonObject f = outcomeFields(r);
    for (DeviceId peer : peers()) {
      send("outcome", peer, f);
    }
  }

  private static JsonArray ids(List<ItemId> list) {
    JsonArray a = new JsonArray();
    list.forEach(i -> a.add(i.toString()));
    return a;
  }

  // ---------------------------------------------------------------- copies

  /** Per peer: how far the copy of an item has been acknowledged and sent. */
  private static final class CopyOut {
    long acked;
    long sentUpTo;
    boolean complete;
    long ackedAtLastCheck = -1;
    @Nullable InputStream in;
    long inPos;

    /** Reads {@code len} bytes at {@code offset}, going on from the last read when it can. */
    byte[] read(ItemStore store, ItemId id, long offset, int len) throws IOException {
      if (in == null || inPos > offset) {
        close();
        in = store.open(id);
        inPos = 0;
      }
      InputStream s = Objects.requireNonNull(in);
      while (inPos < offset) {
        long skipped = s.readNBytes((int) Math.min(65536, offset - inPos)).length;
        if (skipped == 0) {
          throw new IOException("the item ends before offset " + offset);
        }
        inPos += skipped;
      }
      byte[] data = s.readNBytes(len);
      inPos += data.length;
      return data;
    }

    void close() {
      InputStream s = in;
      in = null;
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          LOG.debug("closing a copy stream: {}", e.getMessage());
        }
      }
    }
  }

  /** After a reconnect: offer every unfinished copy again; the peers say where to resume. */
  private void reofferCopies() {
    for (ItemRecord r : new ArrayList<>(items.values())) {
      if (r.phase != Phase.DONE && r.meta.origin().equals(self) && r.copyComplete) {
        offerCopies(r, null, false);
      }
    }
  }

  /** Offers again any copy that made no progress since the last check (a lost message). */
  private void copyWatchdog() {
    for (Map.Entry<ItemId, Map<DeviceId, CopyOut>> e : copiesOut.entrySet()) {
      ItemRecord r = items.get(e.getKey());
      if (r == null || r.phase == Phase.DONE || !r.copyComplete) {
        continue;
      }
      for (Map.Entry<DeviceId, CopyOut> p : e.getValue().entrySet()) {
        CopyOut co = p.getValue();
        if (co.complete || !isOnline(p.getKey())) {
          continue;
        }
        if (co.acked == co.ackedAtLastCheck) {
          offerCopies(r, p.getKey(), false);
        }
        co.ackedAtLastCheck = co.acked;
      }
    }
  }

  /**
   * Offers the item's copy to the peers (or to {@code only}). With {@code push} (a new item), the
   * first window of chunks follows the offer at once to every online peer, without waiting for its
   * acknowledgement: a new item cannot be there yet, and a small item is then complete one trip
   * after it was queued.
   */
  private void offerCopies(ItemRecord r, @Nullable DeviceId only, boolean push) {
    Map<DeviceId, CopyOut> m = copiesOut.computeIfAbsent(r.meta.id(), k -> new TreeMap<>());
    for (DeviceId peer : peers()) {
      if (only != null && !only.equals(peer)) {
        continue;
      }
      CopyOut c = m.computeIfAbsent(peer, k -> new CopyOut());
      if (c.complete) {
        continue;
      }
      boolean pushing = push && isOnline(peer);
      JsonObject f = new JsonObject();
      f.add("meta", r.meta.toJson());
      f.addProperty("chunkSize", settings.chunkSize());
      f.addProperty("window", settings.copyWindow());
      f.addProperty("pushed", pushing);
      send("copy.offer", peer, f);
      if (pushing) {
        c.acked = 0;
        c.sentUpTo = 0;
        pump(r, peer, c);
      }
    }
  }

  /** A copy being received, and how often to acknowledge it. */
  private static final class CopyIn {
    final ItemStore.CopySink sink;

    /** Acknowledge whenever this many bytes arrived since the last acknowledgement (0: always). */
    long ackEvery;

    long lastAck;

    CopyIn(ItemStore.CopySink sink) {
      this.sink = sink;
      this.lastAck = sink.received();
    }
  }

  private static long longOr(JsonObject o, String name, long otherwise) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()
        ? e.getAsLong()
        : otherwise;
  }

  private static boolean booleanOr(JsonObject o, String name, boolean otherwise) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()
        ? e.getAsBoolean()
        : otherwise;
  }

  private CopyIn copyIn(ItemMeta meta) throws IOException {
    CopyIn in = copiesIn.get(meta.id());
    if (in == null) {
      in = new CopyIn(store.beginCopy(meta));
      copiesIn.put(meta.id(), in);
    }
    return in;
  }

  private void onCopyOffer(Command c) throws MalformedCommandException {
    ItemMeta meta = ItemMeta.fromJson(c.body().get("meta"));
    if (!meta.origin().equals(c.from())) {
      throw new MalformedCommandException(
          "copy offers come from the item's origin " + meta.origin() + ", not " + c.from());
    }
    if (refuseForgotten(c, meta)) {
      return;
    }
    ItemRecord r = recordFor(meta);
    if (r.phase == Phase.DONE) {
      send("outcome", c.from(), outcomeFields(r));
      return;
    }
    if (r.copyComplete) {
      ack(meta, c.from(), meta.size(), true, null, true);
      return;
    }
    try {
      CopyIn in = copyIn(meta);
      long chunk = Math.max(1, longOr(c.body(), "chunkSize", 0));
      long window = longOr(c.body(), "window", 1);
      in.ackEvery = window >= 2 ? chunk * (window / 2) : 0;
      long received = in.sink.received();
      boolean pushed = booleanOr(c.body(), "pushed", false);
      in.lastAck = received;
      if (!(pushed && received == 0)) {
        ack(meta, c.from(), received, false, null, true);
      } // else chunks from 0 follow the offer: their acknowledgements say how far the copy is

    } catch (IOException e) {
      LOG.error("{}: cannot receive a copy of {}: {}", self, meta.id(), e.getMessage());
      ack(meta, c.from(), 0, false, "cannot store the copy: " + e.getMessage(), true);
    }
  }

  private void ack(
      ItemMeta meta,
      DeviceId to,
      long received,
      boolean complete,
      @Nullable String error,
      boolean resume) {
    JsonObject f = new JsonObject();
    f.addProperty("item", meta.id().toString());
    f.addProperty("received", received);
    f.addProperty("complete", complete);
    f.addProperty("resume", resume);
    if (error != null) {
      f.addProperty("error", error);
    }
    send("copy.ack", to, f);
  }

  private void onCopyChunk(Command c) throws MalformedCommandException {
    ItemId id = parseId(c.string("item"));
    ItemRecord r = items.get(id);
    if (r == null || r.phase == Phase.DONE) {
      return; // finished, or never offered: the origin offers again when needed
    }
    if (!r.meta.origin().equals(c.from())) {
      throw new MalformedCommandException("chunks of " + id + " come only from its origin");
    }
    if (!r.meta.sha256().equals(c.string("sha256"))) {
      throw new MalformedCommandException("the chunk's sha256 is not the item's");
    }
    if (r.copyComplete) {
      ack(r.meta, c.from(), r.meta.size(), true, null, false);
      return;
    }
    long offset = c.number("offset");
    byte[] data = c.data();
    if (data.length == 0 && c.body().has("data")) {
      try {
        data = Base64.getDecoder().decode(c.string("data")); // the JSON form
      } catch (IllegalArgumentException e) {
        throw new MalformedCommandException("the chunk's data is not base64");
      }
    }
    CopyIn in = copiesIn.get(id);
    try {
      if (in == null) {
        in = copyIn(r.meta);
      }
      ItemStore.CopySink sink = in.sink;
      long have = sink.received();
      if (offset > have || offset < 0 || offset + data.length > r.meta.size()) {
        in.lastAck = have;
        ack(r.meta, c.from(), have, false, null, true);
        return;
      }
      sink.append(offset, data);
      long now = sink.received();
      if (now < r.meta.size()) {
        if (now - in.lastAck >= in.ackEvery || now <= in.lastAck) {
          in.lastAck = now;
          ack(r.meta, c.from(), now, false, null, false);
        }
        return;
      }
      try {
        sink.complete();
      } catch (IOException e) {
        copiesIn.remove(id);
        LOG.warn(
            "{}: the copy of {} failed its check ({}); asking again", self, id, e.getMessage());
        ack(r.meta, c.from(), 0, false, "integrity check failed: " + e.getMessage(), true);
        return;
      }
      copiesIn.remove(id);
      r.copyComplete = true;
      saveLightly(r); // the store holds the complete copy durably; the start-up reads it from there
      ack(r.meta, c.from(), r.meta.size(), true, null, false);
      fire(r, Trigger.COPY_COMPLETE, Ctx.NONE);
    } catch (IOException e) {
      LOG.error("{}: storing a chunk of {} failed: {}", self, id, e.getMessage());
      copiesIn.remove(id);
      ack(r.meta, c.from(), in == null ? 0 : in.sink.received(), false, null, true);
    }
  }

  private void onCopyAck(Command c) throws MalformedCommandException {
    ItemId id = parseId(c.string("item"));
    ItemRecord r = items.get(id);
    if (r == null || r.phase == Phase.DONE || !r.meta.origin().equals(self)) {
      if (r != null && r.phase == Phase.DONE) {
        send("outcome", c.from(), outcomeFields(r));
      }
      return;
    }
    CopyOut co =
        copiesOut
            .computeIfAbsent(id, k -> new TreeMap<>())
            .computeIfAbsent(c.from(), k -> new CopyOut());
    long received = c.number("received");
    boolean complete = c.body().get("complete").getAsBoolean();
    boolean resume = c.body().has("resume") && c.body().get("resume").getAsBoolean();
    long size = r.meta.size();
    if (received < 0 || received > size) {
      throw new MalformedCommandException("copy.ack offset " + received + " is out of range");
    }
    if (complete) {
      if (!co.complete) {
        co.complete = true;
        co.close();
        events.copyProgress(id, c.from(), size, size);
      }
      if (r.copiedTo.add(c.from().value())) {
        saveLightly(r);
      }
      return;
    }
    String error = Json.string(c.body(), "error");
    if (error != null) {
      LOG.warn("{}: {} reports for the copy of {}: {}", self, c.from(), id, error);
    }
    co.complete = false;
    co.acked = received;
    if (resume || co.sentUpTo < received) {
      co.sentUpTo = received;
    }
    events.copyProgress(id, c.from(), received, size);
    pump(r, c.from(), co);
  }

  private void pump(ItemRecord r, DeviceId peer, CopyOut co) {
    long size = r.meta.size();
    long window = (long) settings.copyWindow() * settings.chunkSize();
    while (co.sentUpTo < size && co.sentUpTo - co.acked < window) {
      int len = (int) Math.min(settings.chunkSize(), size - co.sentUpTo);
      byte[] data;
      try {
        data = co.read(store, r.meta.id(), co.sentUpTo, len);
      } catch (IOException e) {
        co.close();
        LOG.error("{}: cannot read {} for copying: {}", self, r.meta.id(), e.getMessage());
        return;
      }
      if (data.length != len) {
        LOG.error("{}: {} is shorter than its size; copy stopped", self, r.meta.id());
        return;
      }
      JsonObject f = new JsonObject();
      f.addProperty("item", r.meta.id().toString());
      f.addProperty("offset", co.sentUpTo);
      f.addProperty("size", size);
      f.addProperty("sha256", r.meta.sha256());
      send("copy.chunk", peer, f, data);
      co.sentUpTo += len;
    }
  }

  // ---------------------------------------------------------------- commands in

  private void handleMessage(String topic, byte[] payload, boolean duplicate) {
    Optional<DeviceId> stateOf = Topics.deviceOfState(topic);
    if (stateOf.isPresent()) {
      onPresence(stateOf.get(), payload);
      return;
    }
    if (!topic.equals(Topics.inbox(self))) {
      return;
    }
    Command c;
    try {
      c = codec.open(payload);
    } catch (RejectedCommandException e) {
      if (duplicate && e.getMessage() != null && e.getMessage().contains("replay")) {
        LOG.debug("{}: redelivered command dropped: {}", self, e.getMessage());
        return;
      }
      LOG.warn("{}: refused a command: {}", self, e.getMessage());
      events.commandRejected(e.claimedSender(), Objects.requireNonNull(e.getMessage()));
      return;
    }
    if (!order.contains(c.from())) {
      reject(c, c.from() + " is paired but not in this device's configured order");
      return;
    }
    try {
      switch (c.type()) {
        case "copy.offer":
          onCopyOffer(c);
          break;
        case "copy.chunk":
          onCopyChunk(c);
          break;
        case "copy.ack":
          onCopyAck(c);
          break;
        case "turn":
          onTurn(c);
          break;
        case "outcome":
          onOutcome(c);
          break;
        case "sync":
          onSync(c);
          break;
        case "synced":
          onSynced(c);
          break;
        default:
          CommandHandler h = handlerFor(c.type());
          if (h == null) {
            reject(c, "the command type '" + c.type() + "' is unknown");
          } else {
            h.handle(c);
          }
      }
    } catch (MalformedCommandException | RuntimeException e) {
      reject(c, "the " + c.type() + " command is malformed: " + e.getMessage());
    }
    flushStatusSoon();
  }

  private @Nullable CommandHandler handlerFor(String type) {
    for (Map.Entry<String, CommandHandler> e : extraHandlers.entrySet()) {
      if (type.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  private void reject(Command c, String why) {
    LOG.warn("{}: refused {} from {}: {}", self, c.type(), c.from(), why);
    events.commandRejected(c.from().value(), why);
  }

  private static ItemId parseId(String s) throws MalformedCommandException {
    try {
      return ItemId.parse(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedCommandException(
          Objects.requireNonNullElse(e.getMessage(), "not an item id: " + s));
    }
  }

  private ItemRecord recordFor(ItemMeta meta) {
    ItemRecord r = items.get(meta.id());
    if (r == null) {
      r = new ItemRecord(meta);
      r.holder = meta.origin();
      r.epoch = Math.max(0, order.indexOf(meta.origin()));
      r.copyComplete = store.get(meta.id()).isPresent();
      items.put(meta.id(), r);
      // not forced to disk: a new item another device holds the turn of; after a power loss the
      // next offer or turn creates it again, and a complete copy is adopted from the store at start
      saveLightly(r);
      scheduleExpiry(r);
    }
    return r;
  }

  private void onTurn(Command c) throws MalformedCommandException {
    JsonObject b = c.body();
    ItemMeta meta = ItemMeta.fromJson(b.get("meta"));
    long epoch = c.number("epoch");
    DeviceId holder;
    try {
      holder = DeviceId.of(c.string("holder"));
    } catch (IllegalArgumentException e) {
      throw new MalformedCommandException(
          Objects.requireNonNullElse(e.getMessage(), "holder is not a device id"));
    }
    int n = order.size();
    if (epoch < 0 || !order.get((int) Math.floorMod(epoch, (long) n)).equals(holder)) {
      throw new MalformedCommandException(
          "epoch " + epoch + " does not belong to " + holder + " in the configured order");
    }
    c.number("round");
    c.number("delayMs");
    c.number("attempts");
    c.number("duplicates");
    checkRecipients(c);
    if (refuseForgotten(c, meta)) {
      return;
    }
    boolean existed = items.containsKey(meta.id());
    ItemRecord r = recordFor(meta);
    if (!existed) {
      r.epoch = -1; // any epoch is newer than nothing
    }
    Ctx ctx = new Ctx();
    ctx.turn = b;
    ctx.from = c.from();
    if (epoch < r.epoch) {
      ctx.why =
          "a stale turn for "
              + meta.id()
              + " (epoch "
              + epoch
              + "; the newest known here is "
              + r.epoch
              + ")";
      fire(r, Trigger.TURN_STALE, ctx);
    } else if (epoch == r.epoch) {
      if (r.phase == Phase.DONE) {
        send("outcome", c.from(), outcomeFields(r));
      }
    } else if (holder.equals(self)) {
      fire(r, r.copyComplete ? Trigger.TURN_GRANTED_WITH_COPY : Trigger.TURN_GRANTED_NO_COPY, ctx);
    } else {
      fire(r, Trigger.TURN_ELSEWHERE, ctx);
    }
  }

  private void onOutcome(Command c) throws MalformedCommandException {
    JsonObject b = c.body();
    ItemId id = parseId(c.string("item"));
    String result = c.string("result");
    if (!List.of(ItemRecord.DELIVERED, ItemRecord.FAILED, ItemRecord.EXPIRED, ItemRecord.CANCELLED)
        .contains(result)) {
      throw new MalformedCommandException("the result '" + result + "' is unknown");
    }
    c.number("duplicates");
    checkRecipients(c);
    String path = Json.string(b, "path");
    if (b.has("path") && path == null) {
      throw new MalformedCommandException(
          "the outcome's 'path' is not a device id: " + b.get("path"));
    }
    if (path != null) {
      try {
        DeviceId.of(path);
      } catch (IllegalArgumentException e) {
        throw new MalformedCommandException("the outcome's 'path' is refused: " + e.getMessage());
      }
    }
    if (b.has("at") && !b.get("at").isJsonNull()) {
      String at = Json.string(b, "at");
      try {
        Instant.parse(at == null ? String.valueOf(b.get("at")) : at);
      } catch (java.time.format.DateTimeParseException e) {
        throw new MalformedCommandException(
            "the outcome's 'at' is not an ISO-8601 instant: " + b.get("at"));
      }
    }
    if (b.has("reply") && Json.string(b, "reply") == null && !b.get("reply").isJsonNull()) {
      throw new MalformedCommandException("the outcome's 'reply' is not text: " + b.get("reply"));
    }
    ItemRecord r = items.get(id);
    if (r != null
        && ItemRecord.CANCELLED.equals(result)
        && !c.from().equals(r.meta.origin())
        && !r.meta.origin().toString().equals(path)) {
      throw new MalformedCommandException(
          "only "
              + r.meta.origin()
              + ", where item "
              + id
              + " was queued, may cancel it; "
              + c.from()
              + " sent a cancellation naming "
              + (path == null ? "no device" : path));
    }
    if (r == null) {
      // never heard of it (no copy arrived yet): delete any partial copy and remember nothing
      try {
        store.delete(id);
      } catch (IOException e) {
        LOG.warn("{}: could not delete a partial copy of {}: {}", self, id, e.getMessage());
      }
      return;
    }
    Ctx ctx = new Ctx();
    ctx.outcome = b;
    ctx.from = c.from();
    fire(r, Trigger.OUTCOME, ctx);
  }

  private void onSync(Command c) throws MalformedCommandException {
    JsonArray list = c.body().getAsJsonArray("items");
    if (list == null) {
      throw new MalformedCommandException("sync has no 'items' list");
    }
    List<ItemId> asked = new ArrayList<>();
    for (JsonElement e : list) {
      asked.add(parseId(e.getAsString()));
    }
    for (ItemId id : asked) {
      ItemRecord r = items.get(id);
      if (r == null) {
        continue;
      }
      if (r.phase == Phase.DONE) {
        send("outcome", c.from(), outcomeFields(r));
      } else if (r.holder != null && r.epoch >= 0) {
        JsonObject f = turnFields(r, "sync", null, false);
        f.addProperty("delayMs", 0);
        send("turn", c.from(), f);
      }
    }
    JsonObject f = new JsonObject();
    f.add("items", ids(asked));
    send("synced", c.from(), f);
  }

  private void onSynced(Command c) {
    syncAnswered.add(c.from());
    if (syncTimer != null && syncAnswered.containsAll(peers())) {
      finishSync();
    }
    // items that waited for this peer: its turn or outcome came before this answer
    for (Map.Entry<ItemId, Set<DeviceId>> e : new ArrayList<>(waitingFor.entrySet())) {
      e.getValue().remove(c.from());
      ItemRecord r = items.get(e.getKey());
      if (r == null || r.phase != Phase.SYNCING) {
        waitingFor.remove(e.getKey());
      } else if (e.getValue().isEmpty()) {
        r.lastFailure = null;
        endSync(r);
      }
    }
  }

  /** Asks a peer that came back about the items waiting for it. */
  private void resync(DeviceId peer) {
    List<ItemId> asked = new ArrayList<>();
    waitingFor.forEach(
        (id, peers) -> {
          if (peers.contains(peer)) {
            asked.add(id);
          }
        });
    if (!asked.isEmpty()) {
      JsonObject f = new JsonObject();
      f.add("items", ids(asked));
      send("sync", peer, f);
    }
  }

  // ---------------------------------------------------------------- presence

  private void onPresence(DeviceId device, byte[] payload) {
    if (device.equals(self) || !order.contains(device)) {
      return;
    }
    String state;
    long conn;
    try {
      JsonObject o = Json.object(new String(payload, StandardCharsets.UTF_8));
      state = Json.string(o, "state");
      JsonElement c = o.get("conn");
      conn =
          c != null && c.isJsonPrimitive() && c.getAsJsonPrimitive().isNumber() ? c.getAsLong() : 0;
    } catch (MalformedCommandException | NumberFormatException e) {
      LOG.debug("{}: unreadable state of {}", self, device);
      return;
    }
    if (state == null) {
      return;
    }
    long lastConn = presenceConn.getOrDefault(device, -1L);
    if (conn < lastConn) {
      LOG.debug(
          "{}: ignoring a stale '{}' of {} (connection {} < {})",
          self,
          state,
          device,
          conn,
          lastConn);
      return;
    }
    presenceConn.put(device, conn);
    boolean online = state.equals("online");
    Boolean before = presence.put(device, online);
    if (before != null && before == online) {
      return;
    }
    events.peerPresence(device, online);
    markStatusDirty();
    if (online) {
      resync(device);
    }
    for (ItemRecord r : new ArrayList<>(items.values())) {
      if (r.phase == Phase.DONE) {
        continue;
      }
      if (Objects.equals(device, r.holder)) {
        if (online) {
          fire(r, Trigger.HOLDER_ONLINE, Ctx.NONE);
        } else if (isNextAfter(device)) {
          fire(r, Trigger.HOLDER_OFFLINE, Ctx.NONE);
        }
      }
      if (online && r.meta.origin().equals(self) && r.copyComplete) {
        offerCopies(r, device, false);
      }
    }
  }

  private void checkHolderPresence(ItemRecord r) {
    DeviceId h = r.holder;
    if (h != null && !h.equals(self) && Boolean.FALSE.equals(presence.get(h)) && isNextAfter(h)) {
      fire(r, Trigger.HOLDER_OFFLINE, Ctx.NONE);
    }
  }

  private boolean isOnline(@Nullable DeviceId d) {
    return d != null && Boolean.TRUE.equals(presence.get(d));
  }

  /** Whether this device is the first reachable one after {@code holder} in the order. */
  private boolean isNextAfter(@Nullable DeviceId holder) {
    if (holder == null) {
      return false;
    }
    int h = order.indexOf(holder);
    if (h < 0) {
      return false;
    }
    for (int i = 1; i < order.size(); i++) {
      DeviceId d = order.get((h + i) % order.size());
      if (d.equals(self)) {
        return true;
      }
      if (isOnline(d)) {
        return false;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- timers, records, status

  private void scheduleExpiry(ItemRecord r) {
    ItemId id = r.meta.id();
    cancel(expiryTimers, id);
    Duration left = Duration.between(clock.instant(), r.meta.expiresAt());
    if (left.isNegative()) {
      left = Duration.ZERO;
    }
    expiryTimers.put(
        id,
        scheduler.schedule(
            left,
            () ->
                post(
                    () -> {
                      expiryTimers.remove(id);
                      ItemRecord x = items.get(id);
                      if (x != null && x.phase != Phase.DONE) {
                        fire(x, Trigger.EXPIRED, Ctx.NONE);
                      }
                    })));
  }

  private static void cancel(Map<ItemId, Scheduler.Cancellable> timers, ItemId id) {
    Scheduler.Cancellable t = timers.remove(id);
    if (t != null) {
      t.cancel();
    }
  }

  private void save(ItemRecord r) {
    try {
      r.save(recordsDir);
    } catch (IOException e) {
      LOG.error("{}: cannot save the record of {}: {}", self, r.meta.id(), e.getMessage());
    }
  }

  private void saveLightly(ItemRecord r) {
    try {
      r.save(recordsDir, false);
    } catch (IOException e) {
      LOG.error("{}: cannot save the record of {}: {}", self, r.meta.id(), e.getMessage());
    }
  }

  private void markStatusDirty() {
    statusDirty = true;
    flushStatusSoon();
  }

  private void flushStatusSoon() {
    if (!statusDirty || statusFlushScheduled || closed) {
      return;
    }
    statusFlushScheduled = true;
    loop.schedule(
        () -> {
          statusFlushScheduled = false;
          statusDirty = false;
          MqttLink l = link;
          if (l != null && !closed) {
            l.publish(
                Topics.status(self),
                snapshot().toJson().toString().getBytes(StandardCharsets.UTF_8),
                true);
          }
        },
        200,
        TimeUnit.MILLISECONDS);
  }

  private DeviceStatus snapshot() {
    Map<DeviceId, String> peers = new LinkedHashMap<>();
    for (DeviceId p : peers()) {
      Boolean on = presence.get(p);
      peers.put(p, on == null ? "unknown" : on ? "online" : "offline");
    }
    List<DeviceStatus.ItemView> queue = new ArrayList<>();
    int dups = 0;
    List<ItemRecord> sorted = new ArrayList<>(items.values());
    sorted.sort((a, b) -> a.meta.id().compareTo(b.meta.id()));
    for (ItemRecord r : sorted) {
      dups += r.duplicates;
      if (r.phase != Phase.DONE) {
        queue.add(
            new DeviceStatus.ItemView(
                r.meta.id(),
                r.phase.name(),
                r.holder,
                r.epoch,
                r.attempts,
                r.duplicates,
                r.lastFailure,
                r.copyComplete));
      }
    }
    MqttLink l = link;
    Boolean ok = pathOk;
    return new DeviceStatus(
        self,
        linkSettings.role(),
        clock.instant(),
        l != null && l.isConnected(),
        peers,
        path == null ? "none" : ok == null ? "unknown" : ok ? "ok" : "failing",
        lastAttemptAt,
        lastError,
        queue,
        dups,
        null,
        new ArrayList<>(recent));
  }

  /** The default scheduler: the engine's own timer thread. */
  private static final class LoopScheduler implements Scheduler {
    private final ScheduledExecutorService exec;

    LoopScheduler(ScheduledExecutorService exec) {
      this.exec = exec;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      try {
        ScheduledFuture<?> f = exec.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return () -> {};
      }
    }
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
