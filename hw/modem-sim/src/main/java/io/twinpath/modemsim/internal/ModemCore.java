package io.twinpath.modemsim.internal;

import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.RegistrationState;
import io.twinpath.modemsim.SentSms;
import io.twinpath.modemsim.SimCardState;
import io.twinpath.modemsim.SimConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The simulated modem: one loop thread owns all state, like a modem's firmware. Serial input,
 * socket events, timers and fault switches all run on it, in order.
 */
public final class ModemCore implements AutoCloseable {
  /** Handles one command; returns the final result text, or null when it comes later. */
  @FunctionalInterface
  interface Handler {
    @Nullable String handle(AtCommand c) throws AtError;
  }

  /** Receives the bytes of a transparent (data mode) session. */
  interface DataSink {
    void data(byte[] bytes);

    /** {@code +++} with guard times: back to command mode. */
    void escaped();
  }

  /** A dialect's data side (contexts and sockets). */
  interface DataDialect {
    void register(Map<String, Handler> table);

    /** Drops every socket and the context silently (reset, power off). */
    void reset();

    /** The network took the context away: URC, sockets closed. */
    void contextLost();

    /** Every remote peer closes its connection. */
    void hangUpAll(boolean noCarrier);

    boolean contextActive();
  }

  private final SimConfig config;
  private final Dialect dialect;
  private final ScheduledExecutorService loop;
  private final SerialLine line;
  private final Counters counters;
  private final LinkModel linkModel;
  private final CommandDispatcher dispatcher;
  private final SerialInput input;
  private final RadioState radio;
  private final DataDialect data;
  private final SmsService sms;
  private final Random random;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Consumer<SentSms> smsListener = s -> {};

  // state owned by the loop
  private int cmee;
  private boolean wedged;
  private boolean poweredOff;
  private boolean booting;
  private boolean garbage;
  private int bootGeneration;

  private ModemCore(SimConfig config, SerialLine line, Counters counters) {
    this.config = config;
    this.counters = counters;
    this.dialect = config.dialect();
    this.line = line;
    this.linkModel = new LinkModel(config.linkLatency(), config.linkBitsPerSecond());
    this.random = new Random(config.garbageSeed());
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "modem-sim " + dialect.cliName() + " " + line.name());
              t.setDaemon(true);
              return t;
            });
    this.radio = new RadioState(this, config);
    this.dispatcher = new CommandDispatcher(this, config.replyDelay());
    this.input = new SerialInput(this, dispatcher::commandLine);
    this.sms = new SmsService(this);
    this.data = dialect == Dialect.SIM7600 ? new SimcomData(this) : new QuectelData(this);
    Map<String, Handler> table = dispatcher.table();
    BasicCommands.register(this, table);
    sms.register(table);
    data.register(table);
  }

  /** Opens {@code tty} and boots the modem. */
  public static ModemCore start(String tty, SimConfig config) throws IOException {
    Counters counters = new Counters();
    SerialLine line = SerialLine.open(tty, counters);
    ModemCore core = new ModemCore(config, line, counters);
    core.loop.execute(() -> core.boot(false));
    line.start(
        chunk -> core.post(() -> core.input.feed(chunk)),
        msg -> System.err.println("modem simulator: " + msg));
    return core;
  }

  // ---------------------------------------------------------------- accessors for command sets

  SimConfig config() {
    return config;
  }

  Dialect dialect() {
    return dialect;
  }

  ScheduledExecutorService loop() {
    return loop;
  }

  /** Posts to the loop; quietly drops the task once the modem is closed. */
  void post(Runnable r) {
    try {
      loop.execute(r);
    } catch (RejectedExecutionException e) {
      // closed: nothing left to deliver to
    }
  }

  /** An executor view of {@link #post}. */
  Executor poster() {
    return this::post;
  }

  Counters counters() {
    return counters;
  }

  LinkModel linkModel() {
    return linkModel;
  }

  int cmee() {
    return cmee;
  }

  void setCmee(int v) {
    cmee = v;
  }

  void setEcho(boolean on) {
    input.setEcho(on);
  }

  int rssiNow() {
    return radio.rssi();
  }

  int cfun() {
    return radio.cfun();
  }

  SimCardState simState() {
    return radio.sim();
  }

  boolean dataServiceAvailable() {
    return radio.dataService();
  }

  DataDialect data() {
    return data;
  }

  /** The registration the modem reports now. */
  RegistrationState effectiveRegistration() {
    return radio.effectiveRegistration();
  }

  int regUrcMode(int which) {
    return radio.regUrcMode(which);
  }

  void setRegUrcMode(int which, int n) {
    radio.setRegUrcMode(which, n);
  }

  /** Fails with the CME error for the SIM state unless the SIM is ready. */
  void requireSim() throws AtError {
    radio.requireSim();
  }

  /** {@code AT+CPIN=...}. */
  void enterPin(AtCommand c) throws AtError {
    radio.enterPin(c);
  }

  void setCfun(int v) {
    radio.setCfun(v);
  }

  /** {@code ,<lac>,<ci>[,<act>]} when registered, "" otherwise. */
  String registrationDetail(int which, RegistrationState state) {
    return radio.registrationDetail(which, state);
  }

  // ---------------------------------------------------------------- output

  /** {@code <CR><LF>text<CR><LF>}: an information line, a final result or a URC. */
  void line(String text) {
    if (silent()) {
      return;
    }
    if (garbage) {
      byte[] junk = new byte[3 + random.nextInt(10)];
      for (int i = 0; i < junk.length; i++) {
        int v = 0x80 + random.nextInt(0x80);
        junk[i] = (byte) (i % 3 == 0 ? "~#^*\0".charAt(random.nextInt(5)) : v);
      }
      line.write(junk);
    }
    line.write(("\r\n" + text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  void urc(String text) {
    line(text);
  }

  void raw(byte[] bytes) {
    if (!silent()) {
      line.write(bytes);
    }
  }

  void raw(String text) {
    raw(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void error(AtError e) {
    line(e.line(cmee));
  }

  boolean silent() {
    return wedged || poweredOff || booting;
  }

  // ---------------------------------------------------------------- input

  /** Takes exactly {@code length} bytes next (a socket payload after the {@code >} prompt). */
  void expectFixed(int length, Consumer<byte[]> done, @Nullable Duration timeout, Runnable late) {
    input.expectFixed(length, done, timeout, late);
  }

  /** Takes bytes up to 0x1A (send) or 0x1B (abort): SMS text or PDU. */
  void expectTerminated(Consumer<byte[]> done, Runnable abort) {
    input.expectTerminated(done, abort);
  }

  /** Enters data mode: every byte goes to {@code s} until {@code +++} or {@link #leaveData}. */
  void enterData(DataSink s) {
    input.enterData(s);
  }

  /** Leaves data mode (remote close, context lost). */
  void leaveData() {
    input.leaveData();
  }

  boolean inDataMode() {
    return input.inDataMode();
  }

  // ---------------------------------------------------------------- power

  /** Boots: state back to power-on, boot URCs. {@code afterReset} waits the reset duration. */
  void boot(boolean afterReset) {
    data.reset();
    input.leaveData();
    input.reset();
    input.setEcho(true);
    cmee = 0;
    wedged = false;
    poweredOff = false;
    radio.boot();
    sms.reset();

    int gen = ++bootGeneration;
    if (afterReset) {
      booting = true;
      loop.schedule(
          () -> {
            if (gen == bootGeneration) {
              booting = false;
              bootUrcs();
            }
          },
          config.resetDuration().toNanos(),
          TimeUnit.NANOSECONDS);
    } else {
      booting = false;
      bootUrcs();
    }
  }

  private void bootUrcs() {
    if (!config.bootUrcs()) {
      return;
    }
    urc("RDY");
    SimCardState sim = radio.sim();
    if (dialect == Dialect.SIM7600 && sim != SimCardState.NOT_INSERTED) {
      urc("+CPIN: " + sim.text());
      if (sim == SimCardState.READY) {
        urc("SMS DONE");
        urc("PB DONE");
      }
    }
  }

  /** Power off after the current output (CPOF, QPOWD). */
  void powerOff() {
    data.reset();
    leaveData();
    poweredOff = true;
    bootGeneration++;
  }

  /** Reset after the current output (CRESET, CFUN=1,1). */
  void resetLater() {
    loop.execute(() -> boot(true));
  }

  // ---------------------------------------------------------------- public switches (any thread)

  /** Runs {@code task} on the loop and waits for it. */
  public <T> T call(Callable<T> task) {
    try {
      return loop.submit(task).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("simulator task failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the simulator loop did not answer in 10 s", e);
    }
  }

  /** Runs {@code r} on the loop and waits for it. */
  public void run(Runnable r) {
    call(
        () -> {
          r.run();
          return Boolean.TRUE;
        });
  }

  public Counters byteCounters() {
    return counters;
  }

  public List<String> commandLog() {
    return dispatcher.commandLog();
  }

  public List<SentSms> sentSms() {
    return sms.sent();
  }

  /** Called on the loop thread for every SMS part sent. */
  public void onSmsSent(Consumer<SentSms> listener) {
    smsListener = listener;
  }

  void smsSent(SentSms s) {
    try {
      smsListener.accept(s);
    } catch (RuntimeException e) {
      System.err.println("modem simulator: the SMS listener failed: " + e);
    }
  }

  public void setSimInserted(boolean inserted) {
    run(() -> radio.setSimInserted(inserted));
  }

  public void setRegistration(RegistrationState state) {
    run(() -> radio.setRegistration(state));
  }

  public void setDataService(boolean available) {
    run(
        () -> {
          radio.setDataService(available);
          if (!available && data.contextActive()) {
            data.contextLost();
          }
        });
  }

  public void dropDataContext() {
    run(
        () -> {
          if (data.contextActive()) {
            data.contextLost();
          }
        });
  }

  public void hangUp(boolean noCarrier) {
    run(() -> data.hangUpAll(noCarrier));
  }

  public void setRssi(int value) {
    run(() -> radio.setRssi(value));
  }

  public void failCommand(String prefix, String result) {
    dispatcher.failCommand(prefix, result);
  }

  public void clearCommandFailures() {
    dispatcher.clearCommandFailures();
  }

  public void setGarbage(boolean on) {
    run(() -> garbage = on);
  }

  public void injectRaw(byte[] bytes) {
    run(() -> line.write(bytes));
  }

  public void setReplyDelay(Duration d) {
    run(() -> dispatcher.setReplyDelay(d));
  }

  public void setWedged(boolean on) {
    run(() -> wedged = on);
  }

  public void setSplitWrites(int max) {
    line.setSplitWrites(max);
  }

  public void setLatency(Duration d) {
    linkModel.setLatency(d);
  }

  public void setBitsPerSecond(long bps) {
    linkModel.setBitsPerSecond(bps);
  }

  /** A power cycle or reset line pulse: silent for the reset duration, then boots. */
  public void reset() {
    run(() -> boot(true));
  }

  public boolean isPoweredOff() {
    return call(() -> poweredOff);
  }

  public boolean isWedged() {
    return call(() -> wedged);
  }

  public boolean isBooting() {
    return call(() -> booting);
  }

  public boolean contextActive() {
    return call(data::contextActive);
  }

  /** A snapshot of the SIM state. */
  public SimCardState simCardState() {
    return call(radio::sim);
  }

  /** Blocks until {@link #close()}. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() {
    try {
      run(data::reset);
    } catch (IllegalStateException e) {
      // already stopped
    }
    loop.shutdownNow();
    line.close();
    closed.countDown();
  }
}
