package io.twinpath.secondary.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the secondary's own facts (broker, path, modem, SMS notices, storage) retained on
 * {@code twinpath/<device>/health} over the engine's MQTT link, next to the engine's {@code
 * status}. Republishes shortly after a change and once a minute.
 */
public final class HealthLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthLink.class);
  private static final Duration REFRESH = Duration.ofSeconds(60);
  private static final Duration DEBOUNCE = Duration.ofMillis(200);

  private final StatusBoard board;
  private final Supplier<MqttLink> link;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile boolean closed;

  private HealthLink(StatusBoard board, Supplier<MqttLink> link) {
    this.board = board;
    this.link = link;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-health");
              t.setDaemon(true);
              return t;
            });
  }

  /** The retained topic with a device's health. */
  public static String topic(DeviceId d) {
    return Topics.ROOT + "/" + d.value() + "/health";
  }

  public static HealthLink start(StatusBoard board, Supplier<MqttLink> link) {
    HealthLink h = new HealthLink(board, link);
    board.onChange(h::publishSoon);
    h.publishNow();
    h.timer.scheduleWithFixedDelay(
        h::publishNow, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    return h;
  }

  private void publishSoon() {
    if (!closed && pending.compareAndSet(false, true)) {
      try {
        timer.schedule(this::publishNow, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        pending.set(false);
      }
    }
  }

  private void publishNow() {
    pending.set(false);
    if (!closed) {
      publish("running");
    }
  }

  private void publish(String state) {
    try {
      byte[] payload = board.snapshot(state).toString().getBytes(StandardCharsets.UTF_8);
      link.get().publish(topic(board.device()), payload, true);
    } catch (RuntimeException e) {
      LOG.debug("health not published now: {}", e.toString());
    }
  }

  /** Publishes a last {@code stopped} health, to go out before the link closes. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    publish("stopped");
  }
}
