package io.twinpath.secondary;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.event.Listeners;
import io.twinpath.core.event.LoggingListener;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolOptions;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.core.wire.Topics;
import io.twinpath.secondary.internal.HealthLink;
import io.twinpath.secondary.internal.InboundWiring;
import io.twinpath.secondary.internal.ModemPath;
import io.twinpath.secondary.internal.NotifiedStore;
import io.twinpath.secondary.internal.SmsLoop;
import io.twinpath.secondary.internal.SmsNotices;
import io.twinpath.secondary.internal.StatusBoard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running secondary: the spool, the send coordinator with this device's path (the modem's TCP
 * stack or a cellular interface), the modem kept up and recovered, SMS notices, inbound mail held
 * for the hosts, and the retained health document ({@code twinpath/<device>/health}) next to the
 * engine's status. Built from {@link SecondarySettings} by {@link #start}; {@link #close()} stops
 * everything it started, newest first. Queued items and held mail stay in the data directory.
 */
public final class SecondaryNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecondaryNode.class);

  private final SecondarySettings settings;
  private final Coordinator coordinator;
  private final StatusBoard board;
  private final Deque<AutoCloseable> parts;
  private final @Nullable ModemPath modem;
  private final @Nullable InboundWiring inbound;
  private boolean closed;

  private SecondaryNode(
      SecondarySettings settings,
      Coordinator coordinator,
      StatusBoard board,
      Deque<AutoCloseable> parts,
      @Nullable ModemPath modem,
      @Nullable InboundWiring inbound) {
    this.settings = settings;
    this.coordinator = coordinator;
    this.board = board;
    this.parts = parts;
    this.modem = modem;
    this.inbound = inbound;
  }

  /**
   * Starts every part the settings ask for. Never waits for the modem: it is brought up in the
   * background while mail waits in the spool.
   *
   * @throws IOException with a sentence saying which part could not start and why; whatever had
   *     started is stopped again
   */
  public static SecondaryNode start(SecondarySettings s) throws IOException {
    Deque<AutoCloseable> parts = new ArrayDeque<>();
    try {
      Path data = s.dataDir();
      createPrivateDirectory(data);
      trustPeers(s);
      StatusBoard board = new StatusBoard(s.device(), s.clock());
      for (Map.Entry<String, Supplier<JsonObject>> e : s.healthSections().entrySet()) {
        board.section(e.getKey(), e.getValue());
      }
      board.section("path", () -> pathSection(s));
      Spool spool;
      try {
        spool =
            Spool.open(
                data.resolve("spool"),
                SpoolOptions.builder().maxBytes(s.storageBudget()).clock(s.clock()).build());
      } catch (IOException e) {
        throw new IOException(
            "the spool in " + data.resolve("spool") + " cannot be used: " + e.getMessage(), e);
      }
      parts.push(spool);
      board.section(
          "storage",
          () -> {
            JsonObject o = new JsonObject();
            o.addProperty("items", spool.list().size());
            o.addProperty("usedBytes", spool.usedBytes());
            o.addProperty("budgetBytes", spool.maxBytes());
            return o;
          });
      TwinpathListener events = fanOut(s.listeners());
      // the modem starts before the engine: its recoveries reach the events topic once it runs
      AtomicReference<@Nullable Coordinator> running = new AtomicReference<>();
      TwinpathListener modemEvents =
          Listeners.fanOut(List.of(events, new RecoveryEvents(s.device(), running, s.clock())));
      Coordinator.Builder b =
          Coordinator.builder()
              .device(s.device())
              .order(s.order())
              .dataDir(data)
              .broker(s.link())
              .spool(spool)
              .clock(s.clock())
              .listener(events)
              .settings(CoordinatorSettings.builder().takeoverDelay(s.takeoverDelay()).build());
      ModemPath modem = null;
      // the inbound fetch starts as soon as the modem's data context is up (again)
      AtomicReference<@Nullable ModemPath> modemRef = new AtomicReference<>();
      AtomicReference<@Nullable InboundWiring> inboundRef = new AtomicReference<>();
      AtomicBoolean dataUp = new AtomicBoolean();
      Runnable modemChanged =
          () -> {
            board.changed();
            ModemPath mp = modemRef.get();
            boolean up = mp != null && !mp.dataDown();
            InboundWiring w = inboundRef.get();
            if (up && !dataUp.getAndSet(true) && w != null) {
              w.pathUp();
            } else if (!up) {
              dataUp.set(false);
            }
          };
      switch (s.path()) {
        case INTERFACE -> {
          SmtpSettings.Builder smtp = Objects.requireNonNull(s.smtp()).get();
          smtp.localAddress(Objects.requireNonNull(s.bindAddress()));
          b.sender(SmtpSender.create(smtp.build()));
        }
        case MODEM -> {
          SecondarySettings.Modem m = Objects.requireNonNull(s.modem());
          try {
            modem = ModemPath.start(m, modemEvents, modemChanged, s.clock());
            modemRef.set(modem);
          } catch (IOException | RuntimeException e) {
            throw new IOException(
                "the modem port "
                    + m.serial().device()
                    + " cannot be opened: "
                    + rootMessage(e)
                    + " (check modem.port and the port's permissions)",
                e);
          }
          parts.push(modem);
          board.section("modem", modem::section);
          SmtpSettings.Builder smtp = Objects.requireNonNull(s.smtp()).get();
          smtp.socketFactory(modem.socketFactory());
          b.sender(SmtpSender.create(smtp.build()));
          if (!s.smsNumbers().isEmpty()) {
            ModemPath mp = modem;
            SmsLoop sms =
                SmsLoop.start(
                    new SmsNotices(
                        spool,
                        mp,
                        mp::sendSms,
                        s.smsNumbers(),
                        s.smsDelay(),
                        NotifiedStore.open(data.resolve("sms-notified")),
                        s.clock()),
                    m.poll());
            parts.push(sms);
            board.section("sms", sms::section);
          }
        }
        case NONE -> {}
      }
      InboundWiring in = null;
      SecondarySettings.Inbound inSettings = s.inbound();
      if (inSettings != null) {
        // inbound fetches take the same path as the sends
        in =
            InboundWiring.open(
                s,
                inSettings,
                events,
                modem != null ? modem.socketFactory() : null,
                s.bindAddress());
        parts.push(in);
        inboundRef.set(in);
        in.register(b);
        board.section("inbound", in::section);
      }
      Coordinator coordinator = b.build().start();
      parts.push(coordinator);
      running.set(coordinator);
      if (in != null) {
        in.attach(coordinator);
      }
      awaitConnected(coordinator, s);
      HealthLink health = HealthLink.start(board, () -> coordinator.link().orElseThrow());
      parts.push(health);
      LOG.info(
          "secondary {} started: broker {}, path {}, data in {}",
          s.device(),
          s.link().brokerUrl(),
          s.path().name().toLowerCase(Locale.ROOT),
          data);
      return new SecondaryNode(s, coordinator, board, parts, modem, in);
    } catch (IOException | RuntimeException e) {
      closeAll(parts);
      throw e;
    }
  }

  /** Creates or loads this device's keys and trusts the peer keys the settings carry. */
  private static void trustPeers(SecondarySettings s) throws IOException {
    DeviceId self = s.device();
    DeviceKeys keys;
    PairingStore store;
    try {
      keys = DeviceKeys.loadOrCreate(s.dataDir(), self);
      store = PairingStore.open(s.dataDir().resolve("peers.json"));
    } catch (IOException e) {
      throw new IOException(
          "the keys in " + s.dataDir() + " cannot be read or created: " + e.getMessage(), e);
    }
    if (s.peerKeys().isEmpty()) {
      return; // paired by command (the dongle's 'pair'), not by settings
    }
    for (Map.Entry<DeviceId, String> e : s.peerKeys().entrySet()) {
      String fingerprint = store.trust(e.getKey(), e.getValue());
      LOG.info(
          "Twinpath secondary {} trusts {} (key fingerprint {})", self, e.getKey(), fingerprint);
    }
    for (DeviceId peer : s.peers()) {
      if (!store.isTrusted(peer)) {
        LOG.warn(
            "Twinpath secondary {} has no public key for {}: its commands are refused until"
                + " peers.public-key holds it",
            self,
            peer);
      }
    }
    LOG.info(
        "Twinpath secondary {} public key {} (fingerprint {}): give it to the host when pairing",
        self,
        keys.publicKeyBase64(),
        keys.fingerprint());
  }

  /** One listener for the engine and the modem: the log first, then the configured ones. */
  private static TwinpathListener fanOut(List<TwinpathListener> configured) {
    List<TwinpathListener> all = new ArrayList<>();
    all.add(new LoggingListener());
    all.addAll(configured);
    return Listeners.fanOut(all);
  }

  /** Waits briefly for the engine's MQTT connection, so "started" means reachable; never fails. */
  private static void awaitConnected(Coordinator c, SecondarySettings s) {
    long deadline = System.nanoTime() + s.connectWait().toNanos();
    while (System.nanoTime() < deadline) {
      if (c.link().map(MqttLink::isConnected).orElse(false)) {
        return;
      }
      if (Thread.currentThread().isInterrupted()) {
        return; // being stopped: do not wait
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    if (!s.connectWait().isZero()) {
      LOG.warn("not connected to the MQTT broker at {} yet; it keeps trying", s.link().brokerUrl());
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        try {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the platform's defaults apply
        }
      }
    } catch (IOException e) {
      throw new IOException(
          "the data directory "
              + dir
              + " cannot be created: "
              + rootMessage(e)
              + " (set data.dir to a writable directory)",
          e);
    }
  }

  private static JsonObject pathSection(SecondarySettings s) {
    JsonObject p = new JsonObject();
    p.addProperty("kind", s.path().name().toLowerCase(Locale.ROOT));
    if (s.bindAddress() != null) {
      p.addProperty("bindAddress", Objects.requireNonNull(s.bindAddress()).getHostAddress());
    }
    Supplier<SmtpSettings.Builder> smtp = s.smtp();
    if (smtp != null) {
      try {
        SmtpSettings built = smtp.get().build();
        p.addProperty("smtp", built.host() + ":" + built.port());
      } catch (RuntimeException e) {
        p.addProperty("smtp", "unusable: " + e.getMessage());
      }
    }
    return p;
  }

  /** The innermost cause's message, or its class name. */
  public static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }

  /** The retained topic with a secondary's health: {@code twinpath/<device>/health}. */
  public static String healthTopic(DeviceId device) {
    return HealthLink.topic(device);
  }

  public SecondarySettings settings() {
    return settings;
  }

  /** The engine running this device (pairing, submit, outcomes). */
  public Coordinator coordinator() {
    return coordinator;
  }

  /** The engine's status: peers, path health, queue, recent outcomes. */
  public DeviceStatus status() {
    return coordinator.status();
  }

  /** This device's health document (the payload of {@code twinpath/<device>/health}). */
  public String healthJson() {
    return board.snapshot("running").toString();
  }

  /** Modem recoveries started since start (0 without a modem). */
  public int modemRecoveries() {
    ModemPath m = modem;
    return m == null ? 0 : m.recoveries();
  }

  /** Inbound mail fetched and held for the hosts. */
  public HeldInbound inbound() {
    InboundWiring w = inbound;
    if (w == null) {
      throw new IllegalStateException("inbound.protocol is off");
    }
    return w;
  }

  /** Stops every part, newest first. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeAll(parts);
    LOG.info("secondary {} stopped", settings.device());
  }

  private static void closeAll(Deque<AutoCloseable> parts) {
    while (!parts.isEmpty()) {
      AutoCloseable c = parts.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /**
   * Publishes the modem's recoveries on {@code twinpath/<device>/events} next to the engine's
   * events (best effort, like them), once the engine's link is up.
   */
  private static final class RecoveryEvents implements TwinpathListener {
    private final DeviceId device;
    private final AtomicReference<@Nullable Coordinator> engine;
    private final java.time.Clock clock;

    RecoveryEvents(
        DeviceId device, AtomicReference<@Nullable Coordinator> engine, java.time.Clock clock) {
      this.device = device;
      this.engine = engine;
      this.clock = clock;
    }

    @Override
    public void modemRecovery(
        String port, String action, int attempt, boolean recovered, String detail) {
      Coordinator c = engine.get();
      if (c == null) {
        return;
      }
      JsonObject o = new JsonObject();
      o.addProperty("event", "modemRecovery");
      o.addProperty("device", device.value());
      o.addProperty("at", clock.instant().toString());
      o.addProperty("port", port);
      o.addProperty("action", action);
      o.addProperty("attempt", attempt);
      o.addProperty("recovered", recovered);
      o.addProperty("detail", detail);
      c.link()
          .ifPresent(
              l ->
                  l.publishBestEffort(
                      Topics.events(device), o.toString().getBytes(StandardCharsets.UTF_8)));
    }
  }
}
