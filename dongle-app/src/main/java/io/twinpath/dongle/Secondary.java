package io.twinpath.dongle;

import com.google.gson.JsonObject;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.event.LoggingListener;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolOptions;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.dongle.internal.BrokerClients;
import io.twinpath.dongle.internal.EmbeddedBroker;
import io.twinpath.dongle.internal.HealthLink;
import io.twinpath.dongle.internal.InboundWiring;
import io.twinpath.dongle.internal.ModemPath;
import io.twinpath.dongle.internal.NotifiedStore;
import io.twinpath.dongle.internal.SmsLoop;
import io.twinpath.dongle.internal.SmsNotices;
import io.twinpath.dongle.internal.SmtpPaths;
import io.twinpath.dongle.internal.StatusBoard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary side assembled from its configuration: the MQTT broker (embedded, or an external
 * one by URL), the spool, the send coordinator with this device's path (the modem's TCP stack or a
 * cellular interface; inbound mail is fetched over the same path), retained health next to the
 * engine's status, and SMS notices. The dongle app runs one; anything else that runs a secondary on
 * Java SE can build the same from a {@link DongleConfig} (with {@code broker} set to an external
 * URL, Moquette is never loaded). {@link #close()} stops everything it started, newest first.
 */
public final class Secondary implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Secondary.class);

  private final DongleConfig config;
  private final Coordinator coordinator;
  private final StatusBoard board;
  private final String brokerUrl;
  private final Deque<AutoCloseable> parts;
  private @Nullable InboundWiring inbound;
  private boolean closed;

  private Secondary(
      DongleConfig config,
      Coordinator coordinator,
      StatusBoard board,
      String brokerUrl,
      Deque<AutoCloseable> parts) {
    this.config = config;
    this.coordinator = coordinator;
    this.board = board;
    this.brokerUrl = brokerUrl;
    this.parts = parts;
  }

  /**
   * Starts every part the configuration asks for.
   *
   * @throws IOException with a sentence saying which part could not start and why; whatever had
   *     started is stopped again
   */
  public static Secondary start(DongleConfig config, Clock clock) throws IOException {
    Deque<AutoCloseable> parts = new ArrayDeque<>();
    try {
      Path data = config.dataDir();
      createPrivateDirectory(data);
      StatusBoard board = new StatusBoard(config.device(), clock);
      String url = config.broker().url();
      if (config.broker().mode() == DongleConfig.BrokerMode.EMBEDDED) {
        EmbeddedBroker broker = startBroker(config);
        parts.push(broker);
        url = broker.url();
        board.section("broker", brokerSection(config, url, broker::connectedClients));
      } else {
        board.section("broker", brokerSection(config, url, null));
      }
      board.section("path", () -> pathSection(config));
      Spool spool;
      try {
        spool =
            Spool.open(
                data.resolve("spool"),
                SpoolOptions.builder().maxBytes(config.storageBudget()).clock(clock).build());
      } catch (IOException e) {
        throw new IOException(
            "the spool in " + data.resolve("spool") + " cannot be used: " + e.getMessage(), e);
      }
      parts.push(spool);
      board.section(
          "storage",
          () -> {
            JsonObject s = new JsonObject();
            s.addProperty("items", spool.list().size());
            s.addProperty("usedBytes", spool.usedBytes());
            s.addProperty("budgetBytes", spool.maxBytes());
            return s;
          });
      Coordinator.Builder b =
          Coordinator.builder()
              .device(config.device())
              .order(config.order())
              .dataDir(data)
              .broker(linkSettings(config, url))
              .spool(spool)
              .clock(clock)
              .listener(new LoggingListener())
              .settings(
                  CoordinatorSettings.builder().takeoverDelay(config.takeoverDelay()).build());
      // inbound fetches take the same path as the sends
      javax.net.SocketFactory pathSockets = null;
      java.net.InetAddress pathBind = null;
      switch (config.path()) {
        case INTERFACE:
          pathBind = config.bindAddress();
          b.sender(SmtpSender.create(SmtpPaths.settings(config, null, pathBind)));
          break;
        case MODEM:
          ModemPath modem;
          try {
            modem = ModemPath.start(config, config.modem().poll(), board::changed);
          } catch (IOException | RuntimeException e) {
            throw new IOException(
                "the modem port "
                    + config.modem().port()
                    + " cannot be opened: "
                    + rootMessage(e)
                    + " (run 'twinpath-dongle modem check')",
                e);
          }
          parts.push(modem);
          board.section("modem", modem::section);
          pathSockets = modem.socketFactory();
          b.sender(SmtpSender.create(SmtpPaths.settings(config, pathSockets, null)));
          if (config.sms().enabled()) {
            SmsLoop sms =
                SmsLoop.start(
                    new SmsNotices(
                        spool,
                        modem,
                        modem::sendSms,
                        config.sms().numbers(),
                        config.sms().delay(),
                        NotifiedStore.open(data.resolve("sms-notified")),
                        clock),
                    config.modem().poll());
            parts.push(sms);
            board.section("sms", sms::section);
          }
          break;
        default:
          break;
      }
      InboundWiring inbound = null;
      if (config.inbound().enabled()) {
        inbound = InboundWiring.open(config, pathSockets, pathBind);
        parts.push(inbound);
        inbound.register(b);
        board.section("inbound", inbound::section);
      }
      Coordinator coordinator = b.build().start();
      parts.push(coordinator);
      if (inbound != null) {
        inbound.attach(coordinator);
      }
      Supplier<MqttLink> link = () -> coordinator.link().orElseThrow();
      awaitConnected(coordinator, url);
      HealthLink health = HealthLink.start(board, link);
      parts.push(health);
      LOG.info(
          "secondary {} started: broker {}, path {}, data in {}",
          config.device(),
          url,
          config.path().name().toLowerCase(Locale.ROOT),
          data);
      Secondary secondary = new Secondary(config, coordinator, board, url, parts);
      secondary.inbound = inbound;
      return secondary;
    } catch (IOException | RuntimeException e) {
      closeAll(parts);
      throw e;
    }
  }

  /** Waits briefly for the engine's MQTT connection, so "started" means reachable; never fails. */
  private static void awaitConnected(Coordinator c, String url) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (c.link().map(MqttLink::isConnected).orElse(false)) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    }
    LOG.warn("not connected to the MQTT broker at {} yet; it keeps trying", url);
  }

  private static EmbeddedBroker startBroker(DongleConfig config) throws IOException {
    try {
      return EmbeddedBroker.start(config.broker());
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "the embedded MQTT broker cannot listen on "
              + config.broker().listenAddress().getHostAddress()
              + " port "
              + (config.broker().listenPort() >= 0
                  ? config.broker().listenPort()
                  : config.broker().tlsPort())
              + ": "
              + rootMessage(e)
              + " (is another broker running? set broker.port or broker.address)",
          e);
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

  private static LinkSettings linkSettings(DongleConfig config, String url) throws IOException {
    LinkSettings.Builder l =
        LinkSettings.builder()
            .brokerUrl(url)
            .device(config.device())
            .role("secondary")
            .dataDir(config.dataDir());
    DongleConfig.Broker b = config.broker();
    String user = b.username();
    if (user != null) {
      Secret pw = b.password();
      l.credentials(user, () -> pw == null ? new char[0] : pw.chars());
    }
    javax.net.SocketFactory tls = BrokerClients.sslSocketFactory(b, url);
    if (tls != null) {
      l.socketFactory(tls);
    }
    return l.build();
  }

  private static Supplier<JsonObject> brokerSection(
      DongleConfig config, String url, java.util.function.@Nullable IntSupplier clients) {
    return () -> {
      JsonObject b = new JsonObject();
      b.addProperty("mode", config.broker().mode().name().toLowerCase(Locale.ROOT));
      b.addProperty("url", url);
      if (clients != null) {
        b.addProperty("clients", clients.getAsInt());
      }
      b.addProperty("auth", config.broker().username() != null);
      return b;
    };
  }

  private static JsonObject pathSection(DongleConfig config) {
    JsonObject p = new JsonObject();
    p.addProperty("kind", config.path().name().toLowerCase(Locale.ROOT));
    if (config.path() == DongleConfig.PathKind.INTERFACE && config.bindAddress() != null) {
      p.addProperty("bindAddress", config.bindAddress().getHostAddress());
    }
    if (config.smtp().host() != null) {
      p.addProperty("smtp", config.smtp().host() + ":" + config.smtp().port());
    }
    return p;
  }

  /** Inbound mail fetched and held for the hosts. */
  public InboundWiring inbound() {
    InboundWiring w = inbound;
    if (w == null) {
      throw new IllegalStateException("inbound.protocol is off");
    }
    return w;
  }

  /** The broker URL this device's clients use. */
  public String brokerUrl() {
    return brokerUrl;
  }

  public DongleConfig config() {
    return config;
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

  static String describe(MqttException e) {
    switch (e.getReasonCode()) {
      case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
      case MqttException.REASON_CODE_NOT_AUTHORIZED:
        return "the broker refused the user name or password (broker.username, broker.password)";
      case MqttException.REASON_CODE_SERVER_CONNECT_ERROR:
        return "nothing answers there (" + rootMessage(e) + ")";
      default:
        return rootMessage(e);
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }

  /** Stops every part, newest first. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeAll(parts);
    LOG.info("secondary {} stopped", config.device());
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
}
