package io.twinpath.core.wire;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.internal.ConnectOptions;
import io.twinpath.core.wire.internal.Publisher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's MQTT connection (Eclipse Paho, MQTT 3.1.1): a persistent session under a stable
 * client id, client-side file persistence in the data directory, QoS 1, the retained {@code
 * twinpath/<device>/state} with an {@code offline} last will, and subscriptions to the device's
 * inbox and every device's state.
 *
 * <p>Publishing never loses a message to back-pressure: {@link #publish} queues it; one publisher
 * thread hands it to Paho only while fewer than {@code maxInflight} are unacknowledged (a semaphore
 * released in {@code deliveryComplete}), retries Paho's 32202 "too many publishes in progress"
 * after a short pause, and waits while disconnected. Once Paho has a QoS 1 message, its file
 * persistence keeps it across connection loss and restarts.
 *
 * <p>Received messages go to the {@link Handler} on one thread, in order; a QoS 1 message is
 * acknowledged to the broker only after the handler returns, so a crash while handling it means the
 * broker delivers it again.
 */
public final class MqttLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
  private static final SecureRandom MARKS = new SecureRandom();

  /** Receives messages from subscribed topics. */
  @FunctionalInterface
  public interface Handler {
    /** Called on the link's receive thread, one message at a time. Must not throw. */
    void message(String topic, byte[] payload, boolean duplicate);
  }

  private final LinkSettings settings;
  private final Clock clock;
  private volatile MqttAsyncClient client;
  private final ExecutorService receiver;
  private final Publisher outgoing;
  private final Thread publisher;
  private final Thread connector;
  private final Object connectedSignal = new Object();
  private final AtomicLong replaced = new AtomicLong();
  private volatile Handler handler = (t, p, d) -> {};
  private volatile Runnable onConnect = () -> {};
  private volatile Runnable onDisconnect = () -> {};
  private volatile Runnable onCaughtUp = () -> {};

  /** The marker published after the current connection began; empty until then. */
  private volatile String mark = "";

  private volatile JsonObject stateFields = new JsonObject();
  private volatile boolean closed;

  /** Set when close() begins: its own offline announcement must not be answered with online. */
  private volatile boolean closing;

  private volatile boolean connected;
  private volatile long conn;

  private MqttLink(LinkSettings settings, Clock clock) throws MqttException {
    this.settings = settings;
    this.clock = clock;
    this.outgoing = new Publisher(new PublisherLink(), settings.maxInflight());
    this.client = newClient();
    String name = "twinpath-" + settings.device().value();
    this.receiver =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name + "-mqtt-in");
              t.setDaemon(true);
              return t;
            });
    this.publisher = new Thread(outgoing::publishLoop, name + "-mqtt-out");
    publisher.setDaemon(true);
    this.connector = new Thread(this::connectLoop, name + "-mqtt-connect");
    connector.setDaemon(true);
  }

  private MqttAsyncClient newClient() throws MqttException {
    MqttDefaultFilePersistence persistence =
        new MqttDefaultFilePersistence(settings.dataDir().resolve("mqtt").toString());
    MqttAsyncClient c = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), persistence);
    c.setManualAcks(true);
    c.setCallback(new Callback());
    return c;
  }

  /** Replaces a client whose connect never ended (Paho can leave a connect token pending). */
  private void replaceStuckClient() {
    outgoing.releaseHandedOver();
    MqttAsyncClient old = client;
    try {
      old.disconnectForcibly(0, 100, false);
    } catch (MqttException | RuntimeException e) {
      LOG.debug("forcible disconnect of a stuck client: {}", e.toString());
    }
    try {
      old.close(true);
    } catch (MqttException | RuntimeException e) {
      LOG.debug("closing a stuck client: {}", e.toString());
    }
    try {
      client = newClient();
      replaced.incrementAndGet();
      LOG.info("{} replaced an MQTT client whose connect did not end", settings.device());
    } catch (MqttException e) {
      LOG.warn("{} cannot create a new MQTT client: {}", settings.device(), e.getMessage());
    }
  }

  /**
   * Creates the link and starts connecting in the background (it keeps trying while the broker is
   * unreachable). Set the handler before messages matter: {@link #handler(Handler)}.
   */
  public static MqttLink start(LinkSettings settings, Clock clock, Handler handler)
      throws MqttException {
    return start(settings, clock, handler, new JsonObject());
  }

  /**
   * As {@link #start(LinkSettings, Clock, Handler)}, with {@code stateFields} added to every {@code
   * online} state this link publishes (e.g. timing its peers must agree on).
   */
  public static MqttLink start(
      LinkSettings settings, Clock clock, Handler handler, JsonObject stateFields)
      throws MqttException {
    MqttLink link = new MqttLink(settings, clock);
    link.handler = Objects.requireNonNull(handler, "handler");
    link.stateFields = stateFields.deepCopy();
    link.publisher.start();
    link.connector.start();
    return link;
  }

  public DeviceId device() {
    return settings.device();
  }

  /** Runs {@code task} (on Paho's callback thread; keep it short) after every (re)connect. */
  public void onConnect(Runnable task) {
    this.onConnect = Objects.requireNonNull(task, "task");
  }

  /**
   * Runs {@code task} (on Paho's callback thread; keep it short) whenever the connection to the
   * broker is lost: peers behind the broker cannot be reached until they are heard of again.
   */
  public void onDisconnect(Runnable task) {
    this.onDisconnect = Objects.requireNonNull(task, "task");
  }

  /**
   * Runs {@code task} (on the receive thread, after every message received before it was handled)
   * once this connection's marker came back: everything the broker kept for this device while it
   * was away has been received.
   */
  public void onCaughtUp(Runnable task) {
    this.onCaughtUp = Objects.requireNonNull(task, "task");
  }

  public boolean isConnected() {
    return connected && client.isConnected();
  }

  /** Publishes handed to Paho so far. */
  public long publishedCount() {
    return outgoing.publishedCount();
  }

  /** Times Paho said "too many publishes in progress" and the publish was retried. */
  public long backPressureRetries() {
    return outgoing.backPressureRetries();
  }

  /** Paho clients replaced because their connect never ended. */
  public long clientsReplaced() {
    return replaced.get();
  }

  /** Messages queued and not yet handed to Paho. */
  public int queued() {
    return outgoing.queued();
  }

  /**
   * Queues a QoS 1 publish. The future completes when the broker acknowledged it, or when Paho's
   * persistence holds it across a lost connection (it is sent again on reconnect).
   */
  public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retained) {
    if (closed) {
      return Publisher.refused();
    }
    return outgoing.enqueue(topic, payload, retained);
  }

  /** Publishes at QoS 0 if connected (events: losing one is acceptable), else drops it. */
  public void publishBestEffort(String topic, byte[] payload) {
    if (!isConnected() || closed) {
      return;
    }
    try {
      client.publish(topic, payload, 0, false);
    } catch (MqttException e) {
      LOG.debug("best-effort publish to {} dropped: {}", topic, e.getMessage());
    }
  }

  /**
   * The retained state payload: {@code {"device","role","state","conn","at"}}. {@code conn} numbers
   * the device's connections (increasing), so a peer can ignore a will that belongs to an older
   * connection than the one it last saw online.
   */
  public static byte[] statePayload(
      DeviceId device, String role, String state, long conn, Clock clock) {
    return statePayload(device, role, state, conn, clock, new JsonObject());
  }

  /** The state payload with {@code extra} fields after the standard ones. */
  public static byte[] statePayload(
      DeviceId device, String role, String state, long conn, Clock clock, JsonObject extra) {
    JsonObject o = new JsonObject();
    o.addProperty("device", device.value());
    o.addProperty("role", role);
    o.addProperty("state", state);
    o.addProperty("conn", conn);
    o.addProperty("at", clock.instant().toString());
    extra.entrySet().forEach(en -> o.add(en.getKey(), en.getValue().deepCopy()));
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean saysOffline(byte[] payload) {
    try {
      return "offline"
          .equals(Json.string(Json.object(new String(payload, StandardCharsets.UTF_8)), "state"));
    } catch (MalformedCommandException e) {
      return false;
    }
  }

  /**
   * Keeps the link connected: connects, and after a loss connects again with a fresh will (each
   * connection has its own {@code conn} number, so a stale will can be told from a fresh one).
   */
  private void connectLoop() {
    long delayMs = 200;
    while (!closed) {
      if (client.isConnected()) {
        synchronized (connectedSignal) {
          try {
            connectedSignal.wait(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
        delayMs = 200;
        continue;
      }
      try {
        conn = Math.max(conn + 1, clock.millis());
        MqttConnectOptions o = ConnectOptions.of(settings, conn, clock, stateFields);
        client.connect(o).waitForCompletion(settings.connectTimeout().toMillis() + 2000);
      } catch (MqttException e) {
        if (closed) {
          return;
        }
        if (e.getReasonCode() == MqttException.REASON_CODE_CONNECT_IN_PROGRESS
            || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
          replaceStuckClient();
          continue;
        }
        LOG.warn(
            "{} cannot reach the broker at {} ({}); retrying in {} ms",
            settings.device(),
            settings.brokerUrl(),
            e.getMessage(),
            delayMs);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMs));
        delayMs = Math.min(delayMs * 2, 4000);
      }
    }
  }

  private void awaitConnected() {
    synchronized (connectedSignal) {
      if (!isConnected() && !closed) {
        try {
          connectedSignal.wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // close() or shutdown() ends the loop
        }
      }
    }
  }

  /** Announces offline, disconnects cleanly and stops the threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closing = true;
    // what is queued goes out first (for a while, if connected); then the publisher stops, so
    // nothing queued can follow the offline announcement (e.g. an "online" answering a stale
    // will); what it handed to Paho is sent before it, in order
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (outgoing.unsent() > 0 && isConnected() && System.nanoTime() < until) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    outgoing.stop();
    publisher.interrupt();
    try {
      publisher.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (client.isConnected()) {
        client
            .publish(
                Topics.state(settings.device()),
                statePayload(
                    settings.device(), settings.role(), "offline", conn, clock, stateFields),
                1,
                true)
            .waitForCompletion(2000);
        client.disconnect(2000).waitForCompletion(3000);
      }
    } catch (MqttException e) {
      LOG.debug("{} did not disconnect cleanly: {}", settings.device(), e.getMessage());
    } finally {
      shutdown();
    }
  }

  /**
   * Drops the connection without a word to the broker, as a crash or a cut cable would: the broker
   * publishes the last will once it notices. Messages already handed to Paho stay in its
   * persistence.
   */
  public void abort() {
    try {
      client.disconnectForcibly(0, 1000, false);
    } catch (MqttException e) {
      LOG.debug("forcible disconnect: {}", e.getMessage());
    } finally {
      shutdown();
    }
  }

  private void shutdown() {
    closed = true;
    connected = false;
    synchronized (connectedSignal) {
      connectedSignal.notifyAll();
    }
    publisher.interrupt();
    connector.interrupt();
    receiver.shutdown();
    try {
      receiver.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("closing the MQTT client: {}", e.getMessage());
    }
    outgoing.failQueued();
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      try {
        client.subscribe(
            new String[] {
              Topics.inbox(settings.device()), Topics.ALL_STATES, Topics.mark(settings.device())
            },
            new int[] {1, 1, 1});
        client.publish(
            Topics.state(settings.device()),
            statePayload(settings.device(), settings.role(), "online", conn, clock, stateFields),
            1,
            true);
        // queued behind what the broker kept for this device: when it comes back, all of that has
        // been received
        mark = conn + "-" + Long.toHexString(MARKS.nextLong());
        client.publish(
            Topics.mark(settings.device()), mark.getBytes(StandardCharsets.UTF_8), 1, false);
      } catch (MqttException e) {
        LOG.warn("{} could not subscribe after connecting: {}", settings.device(), e.getMessage());
      }
      connected = true;
      synchronized (connectedSignal) {
        connectedSignal.notifyAll();
      }
      LOG.info(
          "{} {} to {} (connection {})",
          settings.device(),
          reconnect ? "reconnected" : "connected",
          serverUri,
          conn);
      try {
        onConnect.run();
      } catch (RuntimeException e) {
        LOG.warn("the on-connect task failed", e);
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      connected = false;
      outgoing.releaseHandedOver();
      if (!closed) {
        LOG.warn("{} lost the broker: {}; reconnecting", settings.device(), cause.toString());
        try {
          onDisconnect.run();
        } catch (RuntimeException e) {
          LOG.warn("the on-disconnect task failed", e);
        }
      }
      synchronized (connectedSignal) {
        connectedSignal.notifyAll();
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      byte[] payload = message.getPayload();
      boolean dup = message.isDuplicate();
      if (topic.equals(Topics.state(settings.device()))
          && !closed
          && !closing
          && saysOffline(payload)) {
        // a stale will (e.g. of the session this connection replaced) overwrote our state
        LOG.info(
            "{} saw itself announced offline while connected ({}); announcing online",
            settings.device(),
            new String(payload, StandardCharsets.UTF_8));
        publish(
            topic,
            statePayload(settings.device(), settings.role(), "online", conn, clock, stateFields),
            true);
      }
      int id = message.getId();
      int qos = message.getQos();
      boolean marker = topic.equals(Topics.mark(settings.device()));
      receiver.execute(
          () -> {
            try {
              if (!marker) {
                handler.message(topic, payload, dup);
              } else if (mark.equals(new String(payload, StandardCharsets.UTF_8))) {
                onCaughtUp.run();
              }
            } catch (RuntimeException e) {
              LOG.error("handling a message on {} failed", topic, e);
            }
            if (qos > 0) {
              try {
                client.messageArrivedComplete(id, qos);
              } catch (MqttException e) {
                LOG.debug("acknowledging message {}: {}", id, e.getMessage());
              }
            }
          });
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      outgoing.finish(token.getUserContext());
    }
  }

  /** The link as its publisher sees it. */
  private final class PublisherLink implements Publisher.Link {
    @Override
    public MqttAsyncClient client() {
      return client;
    }

    @Override
    public boolean isConnected() {
      return MqttLink.this.isConnected();
    }

    @Override
    public void awaitConnected() {
      MqttLink.this.awaitConnected();
    }

    @Override
    public void disconnected() {
      connected = false;
    }

    @Override
    public boolean closed() {
      return closed;
    }
  }
}
