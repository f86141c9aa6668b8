package io.twinpath.dongle;

import com.google.gson.JsonObject;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.dongle.internal.BrokerWatch;
import io.twinpath.dongle.internal.NodeSettings;
import io.twinpath.secondary.HeldInbound;
import io.twinpath.secondary.SecondaryNode;
import io.twinpath.secondary.SecondarySettings;
import java.io.IOException;
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
 * one by URL) and the shared secondary ({@link SecondaryNode}: the spool, the send coordinator with
 * this device's path, the modem kept up and recovered, SMS notices, inbound mail, retained health
 * next to the engine's status). The dongle app runs one; anything else that runs a secondary on
 * Java SE can build the same from a {@link DongleConfig} (with {@code broker} set to an external
 * URL, Moquette is never loaded). {@link #close()} stops everything it started, newest first.
 */
public final class Secondary implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Secondary.class);

  private final DongleConfig config;
  private final SecondaryNode node;
  private final String brokerUrl;
  private final Deque<AutoCloseable> parts;
  private boolean closed;

  private Secondary(
      DongleConfig config, SecondaryNode node, String brokerUrl, Deque<AutoCloseable> parts) {
    this.config = config;
    this.node = node;
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
    return start(config, clock, TwinpathListener.NONE);
  }

  /**
   * Starts every part the configuration asks for; {@code listener} hears the engine's events and
   * the embedded broker's restarts.
   *
   * @throws IOException with a sentence saying which part could not start and why; whatever had
   *     started is stopped again
   */
  public static Secondary start(DongleConfig config, Clock clock, TwinpathListener listener)
      throws IOException {
    Deque<AutoCloseable> parts = new ArrayDeque<>();
    try {
      String url = config.broker().url();
      @Nullable BrokerWatch broker = null;
      if (config.broker().mode() == DongleConfig.BrokerMode.EMBEDDED) {
        broker = startBroker(config, listener, clock);
        parts.push(broker);
        url = broker.url();
      }
      SecondarySettings.Builder b =
          NodeSettings.of(config, url, clock)
              .healthSection("broker", brokerSection(config, url, broker));
      if (listener != TwinpathListener.NONE) {
        b.listener(listener);
      }
      SecondarySettings settings = b.build();
      SecondaryNode node;
      try {
        node = SecondaryNode.start(settings);
      } catch (IOException e) {
        if (config.path() == SecondarySettings.PathKind.MODEM
            && e.getMessage() != null
            && e.getMessage().startsWith("the modem port")) {
          throw new IOException(e.getMessage() + " (run 'twinpath-dongle modem check')", e);
        }
        throw e;
      }
      parts.push(node);
      return new Secondary(config, node, url, parts);
    } catch (IOException | RuntimeException e) {
      closeAll(parts);
      throw e;
    }
  }

  private static BrokerWatch startBroker(
      DongleConfig config, TwinpathListener listener, Clock clock) throws IOException {
    try {
      return BrokerWatch.start(
          config.broker(),
          "twinpath-probe-" + config.device().value() + "-",
          listener,
          clock,
          BrokerWatch.INTERVAL,
          BrokerWatch.TIMEOUT,
          BrokerWatch.MISSES);
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

  private static Supplier<JsonObject> brokerSection(
      DongleConfig config, String url, @Nullable BrokerWatch broker) {
    return () -> {
      JsonObject b = new JsonObject();
      b.addProperty("mode", config.broker().mode().name().toLowerCase(Locale.ROOT));
      b.addProperty("url", url);
      if (broker != null) {
        b.addProperty("clients", broker.connectedClients());
        b.addProperty("restarts", broker.restarts());
        String last = broker.lastRestart();
        if (last != null) {
          b.addProperty("lastRestart", last);
        }
      }
      b.addProperty("auth", config.broker().username() != null);
      return b;
    };
  }

  /** Inbound mail fetched and held for the hosts. */
  public HeldInbound inbound() {
    return node.inbound();
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
    return node.coordinator();
  }

  /** The engine's status: peers, path health, queue, recent outcomes. */
  public DeviceStatus status() {
    return node.status();
  }

  /** This device's health document (the payload of {@code twinpath/<device>/health}). */
  public String healthJson() {
    return node.healthJson();
  }

  /** The shared secondary this dongle runs. */
  public SecondaryNode node() {
    return node;
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
    return SecondaryNode.rootMessage(t);
  }

  /** Stops every part, newest first. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeAll(parts); // the shared secondary logs that it stopped
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
