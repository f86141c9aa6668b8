package io.twinpath.dongle.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread pools for Paho clients. Paho runs its receiver, sender and callback loops on the pool it
 * is given (each for the whole connection) plus its keep-alive pings, so the pool needs four
 * threads; the default {@code MqttClient} constructor grows a pool to ten.
 */
public final class PahoThreads {
  private PahoThreads() {}

  public static ScheduledExecutorService pool(String name) {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            4,
            r -> {
              Thread t = new Thread(r, "mqtt-" + name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }
}
