package io.twinpath.secondary.internal;

import com.google.gson.JsonObject;
import com.pi4j.context.Context;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.hw.modem.Modem;
import io.twinpath.hw.modem.ModemHealth;
import io.twinpath.hw.power.ModemPower;
import io.twinpath.hw.power.PowerConfig;
import io.twinpath.secondary.SecondarySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
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
 * (SIM, registration, data context) and kept up, its health polled for status and SMS notices. When
 * it stops answering ({@code modem.recovery-after} failed checks in a row) it is recovered: through
 * its reset line, or off and on with its power key when only that is wired (GPIO, Pi4J), or by
 * reopening its port when no line is wired; then the port is reopened and the modem brought up
 * again. A recovery that does not bring it back is retried after a pause that doubles up to {@code
 * modem.recovery-backoff-max}. Every recovery is reported to the listener and shown in the status.
 * Start never blocks on the modem: mail waits in the spool until the path works.
 */
public final class ModemPath implements AutoCloseable, SmsNotices.Conditions {
  private static final Logger LOG = LoggerFactory.getLogger(ModemPath.class);

  private final SecondarySettings.Modem settings;
  private final TwinpathListener events;
  private final Runnable onChange;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final SocketFactory sockets = new Sockets();
  private final @Nullable Context gpio;
  private final @Nullable ModemPower power;
  private final @Nullable String gpioProblem;
  private volatile Modem modem;
  private volatile @Nullable ModemHealth health;
  private volatile @Nullable String problem = "starting";
  private volatile boolean closed;
  // the modem thread's own bookkeeping
  private int failures;
  private int attempt;
  private Duration backoff;
  private @Nullable Instant nextRecovery;
  private volatile int recoveries;
  private volatile @Nullable String lastRecovery;

  private ModemPath(
      SecondarySettings.Modem settings,
      Modem modem,
      @Nullable Context gpio,
      @Nullable ModemPower power,
      @Nullable String gpioProblem,
      TwinpathListener events,
      Runnable onChange,
      Clock clock) {
    this.settings = settings;
    this.modem = modem;
    this.gpio = gpio;
    this.power = power;
    this.gpioProblem = gpioProblem;
    this.events = events;
    this.onChange = onChange;
    this.clock = clock;
    this.backoff = settings.recoveryBackoff();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-modem");
              t.setDaemon(true);
              t.setContextClassLoader(ModemPath.class.getClassLoader());
              return t;
            });
  }

  /**
   * Opens the modem's port (and claims its GPIO lines when wired) and starts bringing it up; checks
   * its health every {@code modem.poll}.
   *
   * @throws IOException when the port cannot be opened
   */
  public static ModemPath start(
      SecondarySettings.Modem settings, TwinpathListener events, Runnable onChange, Clock clock)
      throws IOException {
    Modem modem = open(settings);
    Context gpio = null;
    ModemPower power = null;
    String gpioProblem = null;
    PowerConfig pc = settings.power();
    if (pc != null) {
      try {
        gpio = settings.gpio().get();
        power = ModemPower.open(gpio, pc, settings.sleeper());
      } catch (RuntimeException | LinkageError e) {
        gpioProblem =
            "the GPIO lines (gpio.power-pin "
                + pc.powerKeyPin()
                + (pc.resetPin() != null ? ", gpio.reset-pin " + pc.resetPin() : "")
                + ") cannot be claimed: "
                + e.getMessage()
                + "; the modem is recovered by reopening its port only";
        LOG.error("{}", gpioProblem);
        if (gpio != null) {
          shutdown(gpio);
          gpio = null;
        }
      }
    }
    ModemPath p = new ModemPath(settings, modem, gpio, power, gpioProblem, events, onChange, clock);
    long poll = settings.poll().toMillis();
    p.timer.execute(p::check);
    p.timer.scheduleWithFixedDelay(p::check, poll, poll, TimeUnit.MILLISECONDS);
    return p;
  }

  private static Modem open(SecondarySettings.Modem s) throws IOException {
    return Modem.open(s.serial(), s.dialect(), s.config());
  }

  /** Brings the modem up when it is not, else refreshes its health. Runs on the modem thread. */
  private void check() {
    if (closed) {
      return;
    }
    try {
      Modem m = modem;
      ModemHealth h = m.health();
      answered();
      if (!h.simReady() || !h.registered() || !h.dataContextUp()) {
        try {
          h = m.bringUp();
          if (problem != null) {
            LOG.info("modem ready on {}: {}", settings.serial().device(), summary(h));
          }
          problem = null;
        } catch (IOException e) {
          String why = e.getMessage();
          if (!Objects.equals(why, problem)) {
            LOG.warn("the modem is not ready for mail: {}; trying again shortly", why);
          }
          problem = why;
          h = m.health();
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
      if (closed) {
        return;
      }
      failures++;
      String why = "the modem does not answer: " + e.getMessage();
      if (!Objects.equals(why, problem)) {
        LOG.warn("{}", why);
      }
      problem = why;
      health = null;
      onChange.run();
      Instant next = nextRecovery;
      if (failures >= settings.recoveryAfter()
          && (next == null || !clock.instant().isBefore(next))) {
        recover();
      }
    }
  }

  private void answered() {
    failures = 0;
    attempt = 0;
    backoff = settings.recoveryBackoff();
    nextRecovery = null;
  }

  /** What a recovery does on this board. */
  String action() {
    ModemPower p = power;
    if (p == null) {
      return "reopen";
    }
    return p.config().resetPin() != null ? "reset line" : "power cycle";
  }

  /** Resets or power-cycles the modem (when wired), reopens its port and checks that it answers. */
  private void recover() {
    attempt++;
    recoveries++;
    String action = action();
    LOG.warn(
        "the modem on {} failed {} health checks in a row: recovering it ({}, attempt {})",
        settings.serial().device(),
        failures,
        action,
        attempt);
    boolean ok = false;
    String detail;
    try {
      modem.close();
      ModemPower p = power;
      if (p != null) {
        p.reset();
      }
      Modem fresh = open(settings);
      modem = fresh;
      fresh.resync(); // AT until OK: does it answer at all?
      ModemHealth h = fresh.health();
      ok = true;
      detail = "the modem answers again: " + summary(h);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (IOException | RuntimeException e) {
      detail = "the modem still does not answer: " + e.getMessage();
    }
    if (closed) {
      return;
    }
    int n = attempt;
    if (ok) {
      answered();
      timer.execute(this::check); // bring it up now, not at the next poll
    } else {
      nextRecovery = clock.instant().plus(backoff);
      detail = detail + "; next recovery in " + backoff.toMillis() + " ms at the earliest";
      LOG.warn("modem recovery {} failed ({}): {}", n, action, detail);
      Duration doubled = backoff.multipliedBy(2);
      backoff =
          doubled.compareTo(settings.recoveryBackoffMax()) > 0
              ? settings.recoveryBackoffMax()
              : doubled;
    }
    lastRecovery =
        clock.instant() + " " + action + " attempt " + n + ": " + (ok ? "recovered" : detail);
    try {
      events.modemRecovery(settings.serial().device(), action, n, ok, detail);
    } catch (RuntimeException e) {
      LOG.warn("a listener failed on a modem recovery: {}", e.toString());
    }
    onChange.run();
  }

  /** Checks right away (e.g. before a send attempt), on the modem thread. */
  public void checkSoon() {
    if (!closed) {
      timer.execute(this::check);
    }
  }

  /** TCP sockets through whichever modem driver is current (a recovery opens a new one). */
  public SocketFactory socketFactory() {
    return sockets;
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

  /** Recoveries started since start. */
  public int recoveries() {
    return recoveries;
  }

  /** The status section: health plus one sentence. */
  public JsonObject section() {
    JsonObject o = new JsonObject();
    o.addProperty("port", settings.serial().device());
    o.addProperty("dialect", settings.dialect().name().toLowerCase(Locale.ROOT));
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
    o.addProperty("recovery", action());
    o.addProperty("recoveries", recoveries);
    o.addProperty("lastRecovery", lastRecovery);
    if (gpioProblem != null) {
      o.addProperty("gpioProblem", gpioProblem);
    }
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

  private static void shutdown(Context gpio) {
    try {
      gpio.shutdown();
    } catch (RuntimeException e) {
      LOG.debug("releasing the GPIO context: {}", e.toString());
    }
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
    ModemPower p = power;
    if (p != null) {
      p.close();
    }
    Context g = gpio;
    if (g != null) {
      shutdown(g);
    }
  }

  /** Delegates to the current driver's socket factory, so a reopened modem is used at once. */
  private final class Sockets extends SocketFactory {
    @Override
    public Socket createSocket() throws IOException {
      return modem.socketFactory().createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return modem.socketFactory().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return modem.socketFactory().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return modem.socketFactory().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
        throws IOException {
      return modem.socketFactory().createSocket(address, port, local, localPort);
    }
  }
}
