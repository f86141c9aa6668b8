package io.twinpath.dongle.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.dongle.DongleConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this device's retained {@code twinpath/<device>/state} (offline by last will) and
 * {@code twinpath/<device>/status}, and follows every device's state topic for the peers section.
 * Republishes shortly after any change and once a minute.
 */
public final class StatusLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusLink.class);
  private static final String ROOT = "twinpath";
  private static final Duration REFRESH = Duration.ofSeconds(60);
  private static final Duration DEBOUNCE = Duration.ofMillis(200);

  private final StatusBoard board;
  private final Clock clock;
  private final MqttClient client;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile boolean closed;
  private @Nullable ScheduledFuture<?> refresh;

  private StatusLink(
      StatusBoard board, Clock clock, MqttClient client, ScheduledExecutorService t) {
    this.board = board;
    this.clock = clock;
    this.client = client;
    this.timer = t;
  }

  public static String stateTopic(DeviceId d) {
    return ROOT + "/" + d.value() + "/state";
  }

  public static String statusTopic(DeviceId d) {
    return ROOT + "/" + d.value() + "/status";
  }

  /** Connects to the broker with the configured credentials and announces the device online. */
  public static StatusLink start(
      String url, DongleConfig.Broker broker, StatusBoard board, Clock clock)
      throws IOException, MqttException {
    DeviceId device = board.device();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-status");
              t.setDaemon(true);
              return t;
            });
    MqttClient client =
        new MqttClient(
            url, device.value() + "-status", new MemoryPersistence(), PahoThreads.pool("status"));
    client.setTimeToWait(15_000);
    StatusLink link = new StatusLink(board, clock, client, timer);
    MqttConnectOptions o = BrokerClients.options(broker);
    o.setCleanSession(true);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(30_000);
    o.setWill(stateTopic(device), link.state("offline"), 1, true);
    client.setCallback(link.new Callback());
    try {
      connect(client, o);
    } catch (MqttException e) {
      client.close(true);
      timer.shutdownNow();
      throw e;
    }
    link.announce();
    board.onChange(link::publishSoon);
    link.refresh =
        timer.scheduleWithFixedDelay(
            link::publishNow, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("{} is online at {} ({})", device, url, stateTopic(device));
    return link;
  }

  /** Connects, retrying twice when the broker drops the connection before answering. */
  private static void connect(MqttClient client, MqttConnectOptions o) throws MqttException {
    for (int attempt = 1; ; attempt++) {
      try {
        client.connect(o);
        return;
      } catch (MqttException e) {
        boolean dropped =
            e.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST
                || e.getCause() instanceof java.io.EOFException;
        if (!dropped || attempt >= 3) {
          throw e;
        }
        LOG.info("the broker closed the connection before answering; trying again");
        java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L * attempt);
      }
    }
  }

  private void announce() throws MqttException {
    client.subscribe(ROOT + "/+/state", 1, this::onState);
    client.publish(stateTopic(board.device()), state("online"), 1, true);
    publish("running");
  }

  private void onState(String topic, MqttMessage m) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 3) {
      return;
    }
    DeviceId peer;
    try {
      peer = DeviceId.of(parts[1]);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (peer.equals(board.device())) {
      return;
    }
    String state = "unknown";
    try {
      com.google.gson.JsonElement e = Json.parse(m.getPayload());
      if (e != null && e.isJsonObject()) {
        JsonObject o = e.getAsJsonObject();
        state = o.get("state").getAsString();
      }
    } catch (RuntimeException e) {
      LOG.debug("unreadable state from {}", topic);
    }
    if (m.getPayload().length == 0) {
      state = "gone";
    }
    board.peer(peer, state);
  }

  private byte[] state(String state) {
    JsonObject o = new JsonObject();
    o.addProperty("device", board.device().value());
    o.addProperty("role", "secondary");
    o.addProperty("state", state);
    o.addProperty("at", clock.instant().toString());
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void publishSoon() {
    if (!closed && pending.compareAndSet(false, true)) {
      try {
        timer.schedule(this::publishNow, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pending.set(false);
      }
    }
  }

  private void publishNow() {
    pending.set(false);
    if (closed) {
      return;
    }
    try {
      publish("running");
    } catch (MqttException e) {
      LOG.debug("status not published now ({}); the next change or refresh retries", e.toString());
    }
  }

  private synchronized void publish(String state) throws MqttException {
    if (client.isConnected()) {
      byte[] payload = board.snapshot(state).toString().getBytes(StandardCharsets.UTF_8);
      client.publish(statusTopic(board.device()), payload, 1, true);
    }
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /** Publishes the final status and the offline state, then disconnects. */
  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> r = refresh;
    if (r != null) {
      r.cancel(false);
    }
    try {
      if (client.isConnected()) {
        publish("stopped");
        client.publish(stateTopic(board.device()), state("offline"), 1, true);
        client.disconnect(2000);
      }
    } catch (MqttException e) {
      LOG.warn("could not announce offline cleanly: {}", e.toString());
    } finally {
      try {
        client.close(true);
      } catch (MqttException e) {
        LOG.debug("closing the status client", e);
      }
      timer.shutdownNow();
    }
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect && !closed) {
        timer.execute(
            () -> {
              try {
                announce();
                LOG.info("{} reconnected to {}", board.device(), serverUri);
              } catch (MqttException e) {
                LOG.warn("re-announcing after reconnect failed: {}", e.toString());
              }
            });
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      if (!closed) {
        LOG.warn("lost the broker ({}); reconnecting", cause.toString());
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {}

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
