package io.twinpath.hw.modem;

import io.twinpath.hw.Sleeper;
import io.twinpath.hw.modem.internal.AtEngine;
import io.twinpath.hw.modem.internal.AtEngine.Exchange;
import io.twinpath.hw.modem.internal.AtReply;
import io.twinpath.hw.modem.internal.AtStep;
import io.twinpath.hw.modem.internal.Common;
import io.twinpath.hw.modem.internal.Dialect;
import io.twinpath.hw.modem.internal.Dialects;
import io.twinpath.hw.modem.internal.ModemSocketImpl;
import io.twinpath.hw.modem.internal.ModemState;
import io.twinpath.hw.serial.BytePipe;
import io.twinpath.hw.serial.SerialBytePipe;
import io.twinpath.hw.serial.SerialSettings;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cellular modem driven by AT commands over a {@link BytePipe}.
 *
 * <pre>{@code
 * try (Modem modem = Modem.open(SerialSettings.of("/dev/ttyUSB2"), ModemDialect.EC25,
 *     ModemConfig.builder().apn("internet").build())) {
 *   ModemHealth health = modem.bringUp();        // echo off, SIM/PIN, registration, data up
 *   SocketFactory sf = modem.socketFactory();    // TCP through the modem
 *   modem.sms().send("+46700000000", "hello");   // SMS
 * }
 * }</pre>
 *
 * <p>Thread-safe: commands are serialised; sockets may be used from several threads.
 */
public final class Modem implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Modem.class);
  private static final Pattern CSQ = Pattern.compile("\\+CSQ: (\\d+),(\\d+)");
  private static final Pattern COPS =
      Pattern.compile("\\+COPS: (\\d+)(?:,(\\d+),\"([^\"]*)\"(?:,(\\d+))?)?");
  private static final Pattern CPIN = Pattern.compile("\\+CPIN: ?(.*)");

  private final AtEngine engine;
  private final Dialect dialect;
  private final ModemConfig config;
  private final ModemState state;
  private final Sleeper sleeper;
  private final Clock clock;
  private final ModemSocketFactory socketFactory;
  private final SmsSender sms;

  private Modem(
      AtEngine engine, Dialect dialect, ModemConfig config, Sleeper sleeper, Clock clock) {
    this.engine = engine;
    this.dialect = dialect;
    this.config = config;
    this.sleeper = sleeper;
    this.clock = clock;
    this.state = new ModemState(dialect.links());
    this.socketFactory = new ModemSocketFactory(this);
    this.sms = new SmsSender(this);
  }

  /** Opens the serial port and starts the driver (no command is sent yet). */
  public static Modem open(SerialSettings serial, ModemDialect dialect, ModemConfig config)
      throws IOException {
    return open(SerialBytePipe.open(serial), dialect, config);
  }

  /** Starts the driver on {@code pipe} (no command is sent yet). */
  public static Modem open(BytePipe pipe, ModemDialect dialect, ModemConfig config) {
    return open(pipe, dialect, config, Sleeper.SYSTEM, Clock.systemUTC());
  }

  /** As {@link #open(BytePipe, ModemDialect, ModemConfig)} with the waits and clock given. */
  public static Modem open(
      BytePipe pipe, ModemDialect dialect, ModemConfig config, Sleeper sleeper, Clock clock) {
    Dialect d = Dialects.of(dialect);
    if (config.transparent() && !d.supportsTransparent()) {
      throw new IllegalArgumentException(
          "modem.transparent=true is not supported for "
              + dialect
              + "; accepted only for EC25 (use buffered sockets on "
              + dialect
              + ")");
    }
    AtEngine engine = AtEngine.start(pipe, d.payloadRules(), sleeper, config.guardTime());
    Modem m = new Modem(engine, d, config, sleeper, clock);
    m.registerUrcs();
    return m;
  }

  private void registerUrcs() {
    dialect.registerUrcs(engine, state);
    engine.onUrc(
        "\\+(CREG|CGREG|CEREG): (\\d)(,.*)?",
        (m, p) -> state.registration(m.group(1), Integer.parseInt(m.group(2))));
    engine.onUrc("\\+CPIN: ?(.*)", (m, p) -> LOG.info("SIM state: {}", m.group(1)));
    engine.onUrc("RDY|SMS DONE|PB DONE|\\+CFUN: .*", (m, p) -> LOG.info("modem: {}", m.group()));
    engine.onUrc("\\+CMTI: .*", (m, p) -> LOG.info("modem stored an incoming SMS: {}", m.group()));
  }

  public ModemDialect dialect() {
    return dialect.id();
  }

  public ModemConfig config() {
    return config;
  }

  /**
   * Brings the modem up: resynchronises, turns echo off and verbose errors on, checks the SIM
   * (entering the configured PIN when asked), waits for registration, brings the data context up.
   *
   * @return the health afterwards
   * @throws ModemException naming the step that failed (e.g. no SIM, PIN refused, not registered)
   */
  public ModemHealth bringUp() throws IOException {
    engine.resync(config.commandTimeout());
    try (Exchange ex = acquire()) {
      ex.run(Common.ECHO_OFF, Map.of());
      ex.run(Common.VERBOSE_ERRORS, Map.of());
      unlockSim(ex);
      for (AtStep s :
          List.of(
              Common.CS_REG_URC, Common.PS_REG_URC, Common.EPS_REG_URC, Common.OPERATOR_FORMAT)) {
        optional(ex, s);
      }
    }
    awaitRegistration();
    dataUp();
    return health();
  }

  private void unlockSim(Exchange ex) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    boolean pinSent = false;
    while (true) {
      String sim = simState(ex);
      switch (sim) {
        case "READY":
          return;
        case "SIM PIN":
          char[] pin = config.pin();
          if (pin == null) {
            throw new ModemException(
                "the SIM needs a PIN and none is configured (modem.pin)", "AT+CPIN?", sim);
          }
          if (pinSent) {
            throw new ModemException(
                "the SIM still asks for its PIN after it was entered", "AT+CPIN?", sim);
          }
          try {
            ex.run(Common.ENTER_PIN, Map.of("pin", new String(pin)));
          } catch (ModemException e) {
            throw new ModemException(
                "the SIM refused the configured PIN: "
                    + e.result()
                    + "; check modem.pin before retrying (a few wrong PINs lock the SIM)",
                e.command(),
                e.result(),
                e.errorCode(),
                false,
                null);
          } finally {
            java.util.Arrays.fill(pin, '\0');
          }
          pinSent = true;
          break;
        case "SIM PUK":
          throw new ModemException(
              "the SIM is locked (PUK required); unlock it in a phone", "AT+CPIN?", sim);
        case "NOT INSERTED":
          throw new ModemException("no SIM card in the modem", "AT+CPIN?", sim);
        default:
          break;
      }
      if (System.nanoTime() > deadline) {
        throw new ModemException("the SIM did not become ready: " + sim, "AT+CPIN?", sim);
      }
      pause(Duration.ofMillis(500));
    }
  }

  /** READY, SIM PIN, SIM PUK, NOT INSERTED, NOT READY, or the error text. */
  private String simState(Exchange ex) throws IOException {
    try {
      AtReply r = ex.run(Common.SIM_STATE, Map.of());
      return r.find(CPIN.pattern()).map(m -> m.group(1).trim()).orElse("NOT READY");
    } catch (ModemException e) {
      Integer code = e.errorCode();
      if (code != null && (code == 10 || code == 310)) {
        return "NOT INSERTED";
      }
      if (code != null && (code == 14 || code == 314)) {
        return "NOT READY";
      }
      if (e.isTimeout()) {
        throw e;
      }
      if (e.result().toLowerCase(java.util.Locale.ROOT).contains("not inserted")) {
        return "NOT INSERTED";
      }
      return e.result();
    }
  }

  private void awaitRegistration() throws IOException {
    long deadline = System.nanoTime() + config.registrationTimeout().toNanos();
    while (true) {
      ModemHealth.Builder b = ModemHealth.builder(dialect.id().name(), now());
      try (Exchange ex = acquire()) {
        registration(ex, b);
      }
      ModemHealth h = b.build();
      if (h.registered()) {
        return;
      }
      if ("denied".equals(h.epsRegistration())
          && "denied".equals(h.psRegistration())
          && System.nanoTime() > deadline) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new ModemException(
            "the modem is not registered on a network after "
                + config.registrationTimeout().toSeconds()
                + " s (CS "
                + h.csRegistration()
                + ", PS "
                + h.psRegistration()
                + ", EPS "
                + h.epsRegistration()
                + ")",
            "AT+CREG?",
            "not registered");
      }
      pause(Duration.ofSeconds(1));
    }
    throw new ModemException("registration denied by the network", "AT+CEREG?", "denied");
  }

  /**
   * Brings the data context up (APN and login from the config). Idempotent. A context the network
   * dropped (or this driver took down) is closed first and opened again: the modem may still report
   * it open while it carries nothing.
   */
  public void dataUp() throws IOException {
    try (Exchange ex = acquire()) {
      if (state.contextLost() != null) {
        dialect.dataDown(ex, config);
      }
      dialect.dataUp(ex, config);
      state.contextUp();
    }
  }

  /** Takes the data context down; open sockets are lost. */
  public void dataDown() throws IOException {
    try (Exchange ex = acquire()) {
      dialect.dataDown(ex, config);
    }
    state.contextLost("the data context was taken down by this driver");
  }

  /**
   * Asks the modem for its state: SIM, signal, registration, operator, data context and IP. Parts
   * the modem refuses are left null; only a silent or broken line throws. A plain {@code AT} goes
   * first, so a modem that stopped answering is found within that command's short timeout rather
   * than the SIM query's.
   */
  public ModemHealth health() throws IOException {
    ModemHealth.Builder b = ModemHealth.builder(dialect.id().name(), now());
    try (Exchange ex = acquire()) {
      ex.run(Common.AT, Map.of());
      b.sim(simState(ex));
      tolerant(ex, Common.SIGNAL)
          .flatMap(r -> r.find(CSQ.pattern()))
          .ifPresent(m -> b.signal(clampRssi(m.group(1)), Integer.parseInt(m.group(2))));
      registration(ex, b);
      tolerant(ex, Common.OPERATOR)
          .flatMap(r -> r.find(COPS.pattern()))
          .ifPresent(
              m -> {
                b.operator(m.group(3));
                b.accessTechnology(technology(m.group(4)));
              });
      try {
        Dialect.DataState ds = dialect.dataState(ex, config);
        b.dataContextUp(ds.up() && state.contextLost() == null).ipAddress(ds.ip());
      } catch (ModemException e) {
        if (e.isTimeout()) {
          throw e;
        }
      }
    }
    b.openSockets(state.open());
    return b.build();
  }

  private static int clampRssi(String v) {
    int r = Integer.parseInt(v);
    return (r >= 0 && r <= 31) ? r : 99;
  }

  private void registration(Exchange ex, ModemHealth.Builder b) throws IOException {
    b.csRegistration(reg(ex, Common.CS_REG, "CREG"));
    b.psRegistration(reg(ex, Common.PS_REG, "CGREG"));
    b.epsRegistration(reg(ex, Common.EPS_REG, "CEREG"));
  }

  private @Nullable String reg(Exchange ex, AtStep step, String kind) throws IOException {
    Optional<Matcher> m =
        tolerant(ex, step).flatMap(r -> r.find("\\+" + kind + ": (\\d+),(\\d+)(,.*)?"));
    return m.map(x -> ModemHealth.registrationName(Integer.parseInt(x.group(2)))).orElse(null);
  }

  private static @Nullable String technology(@Nullable String act) {
    if (act == null) {
      return null;
    }
    return switch (act) {
      case "0", "1", "3" -> "GSM";
      case "2", "4", "5", "6" -> "UMTS";
      case "7" -> "LTE";
      case "8" -> "LTE-M";
      case "9" -> "NB-IoT";
      default -> "AcT " + act;
    };
  }

  /** Resynchronises with the modem (AT until OK; +++ and back-off when it stays silent). */
  public void resync() throws IOException {
    engine.resync(config.commandTimeout());
  }

  /** TCP sockets through the modem. */
  public ModemSocketFactory socketFactory() {
    return socketFactory;
  }

  /** SMS through the modem. */
  public SmsSender sms() {
    return sms;
  }

  ModemSocket newSocket() throws SocketException {
    return new ModemSocket(new ModemSocketImpl(engine, dialect, config, state, sleeper));
  }

  Exchange acquire() throws IOException {
    List<Pattern> claims = new ArrayList<>(dialect.claims());
    claims.add(Pattern.compile("\\+(CREG|CGREG|CEREG|CPIN|COPS|CSQ|CMGS): .*"));
    return engine.acquire(config.commandTimeout().plus(config.dataTimeout()), claims);
  }

  private Optional<AtReply> tolerant(Exchange ex, AtStep step) throws IOException {
    try {
      return Optional.of(ex.run(step, Map.of()));
    } catch (ModemException e) {
      if (e.isTimeout()) {
        throw e;
      }
      LOG.debug("{} refused: {}", step.name(), e.getMessage());
      return Optional.empty();
    }
  }

  private static void optional(Exchange ex, AtStep step) throws IOException {
    try {
      ex.run(step, Map.of());
    } catch (ModemException e) {
      if (e.isTimeout()) {
        throw e;
      }
      LOG.debug("optional {} refused: {}", step.name(), e.getMessage());
    }
  }

  private void pause(Duration d) throws InterruptedIOException {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  private String now() {
    return Instant.now(clock).toString();
  }

  /** Stops the driver and closes the pipe (sockets still open fail). */
  @Override
  public void close() {
    state.contextLost("the modem driver was closed");
    engine.close();
  }
}
