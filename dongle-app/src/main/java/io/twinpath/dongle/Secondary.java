package io.twinpath.dongle;

import com.google.gson.JsonObject;
import io.twinpath.dongle.internal.EmbeddedBroker;
import io.twinpath.dongle.internal.StatusBoard;
import io.twinpath.dongle.internal.StatusLink;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary side assembled from its configuration: the MQTT broker (embedded, or an external
 * one by URL), retained status, the send path over the modem or a cellular interface, and SMS
 * notices. The dongle app runs one; the Kura bundle builds the same from its configuration form
 * (with an external broker). Start with {@link #start}; {@link #close()} stops everything it
 * started, in reverse order.
 */
public final class Secondary implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Secondary.class);

  private final DongleConfig config;
  private final StatusBoard board;
  private final String brokerUrl;
  private final Deque<AutoCloseable> parts;
  private boolean closed;

  private Secondary(
      DongleConfig config, StatusBoard board, String brokerUrl, Deque<AutoCloseable> parts) {
    this.config = config;
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
      StatusBoard board = new StatusBoard(config.device(), clock);
      String url = config.broker().url();
      @Nullable EmbeddedBroker broker = null;
      if (config.broker().mode() == DongleConfig.BrokerMode.EMBEDDED) {
        try {
          broker = EmbeddedBroker.start(config.broker());
        } catch (IOException | RuntimeException e) {
          throw new IOException(
              "the embedded MQTT broker cannot listen on "
                  + config.broker().listenAddress().getHostAddress()
                  + " port "
                  + config.broker().listenPort()
                  + ": "
                  + rootMessage(e)
                  + " (is another broker running? set broker.port or broker.address)",
              e);
        }
        parts.push(broker);
        url = broker.url();
      }
      board.broker(brokerSection(config, url, broker));
      board.path(() -> pathSection(config));
      StatusLink link;
      try {
        link = StatusLink.start(url, config.broker(), board, clock);
      } catch (MqttException e) {
        throw new IOException(
            "cannot connect to the MQTT broker at " + url + ": " + describe(e), e);
      }
      parts.push(link);
      LOG.info("secondary {} started: {}", config.device(), config);
      return new Secondary(config, board, url, parts);
    } catch (IOException | RuntimeException e) {
      closeAll(parts);
      throw e;
    }
  }

  private static java.util.function.Supplier<JsonObject> brokerSection(
      DongleConfig config, String url, @Nullable EmbeddedBroker broker) {
    return () -> {
      JsonObject b = new JsonObject();
      b.addProperty("mode", config.broker().mode().name().toLowerCase(Locale.ROOT));
      b.addProperty("url", url);
      if (broker != null) {
        b.addProperty("clients", broker.connectedClients());
        if (broker.tlsPort() >= 0) {
          b.addProperty("tlsPort", broker.tlsPort());
        }
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

  /** The broker URL this device's clients use. */
  public String brokerUrl() {
    return brokerUrl;
  }

  public DongleConfig config() {
    return config;
  }

  /** The current status document as JSON (the payload of {@code twinpath/<device>/status}). */
  public String statusJson() {
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
