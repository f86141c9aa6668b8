package io.twinpath.dongle.internal;

import com.google.gson.JsonObject;
import io.twinpath.dongle.DongleConfig;
import io.twinpath.dongle.Secret;
import io.twinpath.hw.modem.Modem;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.modem.ModemHealth;
import io.twinpath.hw.serial.SerialSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modem as the secondary uses it: opened on the configured port, brought up in the background
 * (SIM, registration, data context) and kept up, its health polled for status and SMS notices.
 * Start never blocks on the modem: mail waits in the spool until the path works.
 */
public final class ModemPath implements AutoCloseable, SmsNotices.Conditions {
  private static final Logger LOG = LoggerFactory.getLogger(ModemPath.class);

  private final DongleConfig config;
  private final Modem modem;
  private final ScheduledExecutorService timer;
  private final Runnable onChange;
  private volatile @Nullable ModemHealth health;
  private volatile @Nullable String problem = "starting";
  private volatile boolean closed;

  private ModemPath(DongleConfig config, Modem modem, Runnable onChange) {
    this.config = config;
    this.modem = modem;
    this.onChange = onChange;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-modem");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens the modem's port and starts bringing it up; checks its health every {@code poll}.
   *
   * @throws IOException when the port cannot be opened
   */
  public static ModemPath start(DongleConfig config, Duration poll, Runnable onChange)
      throws IOException {
    Modem modem = Modem.open(serial(config), dialect(config), modemConfig(config).build());
    ModemPath p = new ModemPath(config, modem, onChange);
    p.timer.execute(p::check);
    p.timer.scheduleWithFixedDelay(
        p::check, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    return p;
  }

  public static SerialSettings serial(DongleConfig config) {
    return SerialSettings.of(
        Objects.requireNonNull(config.modem().port(), "modem.port"),
        config.modem().baud(),
        SerialSettings.FlowControl.NONE);
  }

  public static ModemDialect dialect(DongleConfig config) {
    return config.modem().dialect() == DongleConfig.Dialect.EC25
        ? ModemDialect.EC25
        : ModemDialect.SIM7600;
  }

  public static ModemConfig.Builder modemConfig(DongleConfig config) {
    DongleConfig.Modem m = config.modem();
    ModemConfig.Builder b = ModemConfig.builder().apn(m.apn());
    if (m.apnUser() != null) {
      b.username(Objects.requireNonNull(m.apnUser()));
    }
    Secret pw = m.apnPassword();
    if (pw != null) {
      b.password(pw.chars());
    }
    Secret pin = m.pin();
    if (pin != null) {
      b.pin(pin.chars());
    }
    return b;
  }

  /** Brings the modem up when it is not, else refreshes its health. Runs on the modem thread. */
  private void check() {
    if (closed) {
      return;
    }
    try {
      ModemHealth h = modem.health();
      if (!h.simReady() || !h.registered() || !h.dataContextUp()) {
        try {
          h = modem.bringUp();
          if (problem != null) {
            LOG.info("modem up: {}", summary(h));
          }
          problem = null;
        } catch (IOException e) {
          String why = e.getMessage();
          if (!Objects.equals(why, problem)) {
            LOG.warn("the modem is not ready for mail: {}; trying again shortly", why);
          }
          problem = why;
          h = modem.health();
        }
      } else {
        problem = null;
      }
      ModemHealth old = health;
      health = h;
      if (old == null
          || old.dataContextUp() != h.dataContextUp()
          || old.registered() != h.registered()
          || !Objects.equals(old.signalDbm(), h.signalDbm())) {
        onChange.run();
      }
    } catch (IOException | RuntimeException e) {
      String why = "the modem does not answer: " + e.getMessage();
      if (!Objects.equals(why, problem)) {
        LOG.warn("{}", why);
      }
      problem = why;
      health = null;
      onChange.run();
    }
  }

  /** Checks right away (e.g. before a send attempt), on the modem thread. */
  public void checkSoon() {
    if (!closed) {
      timer.execute(this::check);
    }
  }

  public SocketFactory socketFactory() {
    return modem.socketFactory();
  }

  /** Sends one SMS through the modem. */
  public void sendSms(String number, String text) throws IOException {
    modem.sms().send(number, text);
  }

  @Override
  public boolean dataDown() {
    ModemHealth h = health;
    return h == null || !h.dataContextUp();
  }

  @Override
  public boolean smsUp() {
    ModemHealth h = health;
    return h != null && h.simReady() && h.registered();
  }

  public @Nullable ModemHealth health() {
    return health;
  }

  /** The status section: health plus one sentence. */
  public JsonObject section() {
    JsonObject o = new JsonObject();
    o.addProperty("port", config.modem().port());
    o.addProperty("dialect", config.modem().dialect().name().toLowerCase(java.util.Locale.ROOT));
    ModemHealth h = health;
    if (h != null) {
      o.addProperty("sim", h.sim());
      o.addProperty("signalDbm", h.signalDbm());
      o.addProperty("registered", h.registered());
      o.addProperty("operator", h.operator());
      o.addProperty("technology", h.accessTechnology());
      o.addProperty("data", h.dataContextUp());
      o.addProperty("ip", h.ipAddress());
      o.addProperty("checkedAt", h.checkedAt());
    }
    String p = problem;
    o.addProperty("problem", p);
    o.addProperty("summary", p != null ? p : h == null ? "not checked yet" : summary(h));
    return o;
  }

  static String summary(ModemHealth h) {
    StringBuilder b = new StringBuilder();
    b.append(h.registered() ? "registered" : "not registered");
    if (h.operator() != null) {
      b.append(" on ").append(h.operator());
    }
    if (h.accessTechnology() != null) {
      b.append(" (").append(h.accessTechnology()).append(')');
    }
    if (h.signalDbm() != null) {
      b.append(", signal ").append(h.signalDbm()).append(" dBm");
    }
    b.append(h.dataContextUp() ? ", data up" : ", data down");
    if (h.ipAddress() != null) {
      b.append(" (").append(h.ipAddress()).append(')');
    }
    return b.toString();
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    modem.close();
  }
}
