package io.twinpath.core.wire.internal;

import io.twinpath.core.wire.MqttLink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing side of an {@link MqttLink}: a queue of QoS 1 messages that one thread ({@link
 * #publishLoop}) hands to Paho only while fewer than {@code maxInflight} are unacknowledged (a
 * semaphore released when a delivery completes), retrying Paho's 32202 "too many publishes in
 * progress" after a short pause and waiting while disconnected.
 */
public final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

  /** What the publisher needs of its link. */
  public interface Link {
    /** The current Paho client (replaced when a connect never ends). */
    MqttAsyncClient client();

    boolean isConnected();

    /** Waits a short while for the link to connect. */
    void awaitConnected();

    /** Paho said the connection is gone. */
    void disconnected();

    boolean closed();
  }

  private final Link link;
  private final Semaphore permits;
  private final LinkedBlockingQueue<Outgoing> queue = new LinkedBlockingQueue<>();
  private final AtomicLong backPressureRetries = new AtomicLong();
  private final AtomicLong published = new AtomicLong();

  /** Set by close() once the queue is sent: the publisher hands nothing more to Paho. */
  private volatile boolean stopPublishing;

  /** Messages handed to Paho whose delivery has not completed. */
  private final java.util.Set<Outgoing> inPaho = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Messages queued and not yet handed to Paho (or given up). */
  private final AtomicInteger unsent = new AtomicInteger();

  public Publisher(Link link, int maxInflight) {
    this.link = link;
    this.permits = new Semaphore(maxInflight);
  }

  /** Publishes handed to Paho so far. */
  public long publishedCount() {
    return published.get();
  }

  /** Times Paho said "too many publishes in progress" and the publish was retried. */
  public long backPressureRetries() {
    return backPressureRetries.get();
  }

  /** Messages queued and not yet handed to Paho. */
  public int queued() {
    return queue.size();
  }

  /** Messages queued and not yet handed to Paho, or being handed over. */
  public int unsent() {
    return unsent.get();
  }

  /** From now on nothing more is handed to Paho. */
  public void stop() {
    stopPublishing = true;
  }

  /** Queues a QoS 1 publish; the future completes as {@link MqttLink#publish} says. */
  public CompletableFuture<Void> enqueue(String topic, byte[] payload, boolean retained) {
    Outgoing o = new Outgoing(topic, payload, retained, 1);
    unsent.incrementAndGet();
    queue.add(o);
    return o.done;
  }

  /** A future already failed because the link is closed. */
  public static CompletableFuture<Void> refused() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    done.completeExceptionally(new IllegalStateException("the MQTT link is closed"));
    return done;
  }

  /**
   * Ends the publishes handed to Paho whose connection is gone: Paho's file persistence holds them
   * and sends them again after the reconnect (a replaced client reads the same persistence), but
   * their tokens may never complete, which would keep their in-flight permits forever.
   */
  public void releaseHandedOver() {
    for (Outgoing o : inPaho.toArray(new Outgoing[0])) {
      finish(o);
    }
  }

  public void publishLoop() {
    while (!link.closed() && !stopPublishing) {
      Outgoing o;
      try {
        o = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (o == null) {
        continue;
      }
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        return;
      }
      handOver(o);
      unsent.decrementAndGet();
    }
  }

  /** Hands one message to Paho, retrying back-pressure and waiting out disconnections. */
  private void handOver(Outgoing o) {
    long pauseMs = 5;
    while (!link.closed() && !stopPublishing) {
      if (!link.isConnected()) {
        link.awaitConnected();
        continue;
      }
      try {
        MqttMessage m = new MqttMessage(o.payload);
        m.setQos(o.qos);
        m.setRetained(o.retained);
        inPaho.add(o);
        try {
          link.client().publish(o.topic, m, o, new Finisher());
        } catch (MqttException e) {
          inPaho.remove(o);
          throw e;
        }
        published.incrementAndGet();
        return;
      } catch (MqttException e) {
        if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
          backPressureRetries.incrementAndGet();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
          pauseMs = Math.min(pauseMs * 2, 200);
        } else if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
            || e.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST
            || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_DISCONNECTING) {
          link.disconnected();
        } else {
          LOG.warn(
              "publish to {} failed ({}, code {}); retrying",
              o.topic,
              e.getMessage(),
              e.getReasonCode());
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
      }
    }
    permits.release();
    o.done.completeExceptionally(new IllegalStateException("the MQTT link closed"));
  }

  /** Fails what is still queued: the link closed. */
  public void failQueued() {
    for (Outgoing o = queue.poll(); o != null; o = queue.poll()) {
      o.done.completeExceptionally(new IllegalStateException("the MQTT link closed"));
    }
  }

  /** Ends a publish whose token failed (connection lost): Paho's persistence still holds it. */
  private final class Finisher implements org.eclipse.paho.client.mqttv3.IMqttActionListener {
    @Override
    public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken token) {
      finish(token.getUserContext());
    }

    @Override
    public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken token, Throwable e) {
      LOG.debug("publish token ended with {}; Paho's persistence sends it again", e.toString());
      finish(token.getUserContext());
    }
  }

  public void finish(@Nullable Object ctx) {
    if (ctx instanceof Outgoing) {
      Outgoing o = (Outgoing) ctx;
      if (o.finished.compareAndSet(false, true)) {
        inPaho.remove(o);
        permits.release();
        o.done.complete(null);
      }
    }
  }

  private static final class Outgoing {
    final String topic;
    final byte[] payload;
    final boolean retained;
    final int qos;
    final AtomicBoolean finished = new AtomicBoolean();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Outgoing(String topic, byte[] payload, boolean retained, int qos) {
      this.topic = topic;
      this.payload = payload;
      this.retained = retained;
      this.qos = qos;
    }
  }
}
