package io.twinpath.secondary.internal;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the SMS notice check on its own timer. */
public final class SmsLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SmsLoop.class);

  private final SmsNotices notices;
  private final ScheduledExecutorService timer;

  private SmsLoop(SmsNotices notices) {
    this.notices = notices;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-sms");
              t.setDaemon(true);
              return t;
            });
  }

  public static SmsLoop start(SmsNotices notices, Duration every) {
    SmsLoop l = new SmsLoop(notices);
    l.timer.scheduleWithFixedDelay(
        () -> {
          try {
            notices.check();
          } catch (RuntimeException e) {
            LOG.warn("SMS notice check failed: {}", e.toString());
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return l;
  }

  public JsonObject section() {
    JsonObject o = new JsonObject();
    o.addProperty("sent", notices.sent());
    o.addProperty("numbers", notices.numbers());
    return o;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
