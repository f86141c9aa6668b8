package io.twinpath.modemsim.internal;

import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.RegistrationState;
import io.twinpath.modemsim.SentSms;
import io.twinpath.modemsim.SimCardState;
import io.twinpath.modemsim.SimConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
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

  private enum Mode {
    COMMAND,
    FIXED,
    TERMINATED,
    DATA
  }

  private final SimConfig config;
  private final Dialect dialect;
  private final ScheduledExecutorService loop;
  private final SerialLine line;
  private final Counters counters;
  private final LinkModel linkModel;
  private final Map<String, Handler> table = new HashMap<>();
  private final DataDialect data;
  private final SmsService sms;
  private final List<String> commandLog = new CopyOnWriteArrayList<>();
  private final Map<String, String> failures = new LinkedHashMap<>();
  private final Random random;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Consumer<SentSms> smsListener = s -> {};

  // state owned by the loop
  private boolean echo;
  private int cmee;
  private SimCardState sim = SimCardState.READY;
  private boolean simInserted;
  private int pinAttempts;
  private RegistrationState registration;
  private boolean dataService;
  private int cfun = 1;
  private final int[] regUrcMode = new int[3]; // CREG, CGREG, CEREG
  private int rssi;
  private boolean wedged;
  private boolean poweredOff;
  private boolean booting;
  private Duration replyDelay;
  private boolean garbage;
  private int bootGeneration;

  // parser
  private Mode mode = Mode.COMMAND;
  private final ByteArrayOutputStream lineBuf = new ByteArrayOutputStream();
  private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
  private int fixedLength;
  private int payloadGeneration;
  private Consumer<byte[]> fixedDone = b -> {};
  private Consumer<byte[]> terminatedDone = b -> {};
  private Runnable terminatedAbort = () -> {};
  private boolean dropStraySub;
  private @Nullable DataSink sink;
  private long lastDataNanos;
  private int plusCount;
  private long firstPlusNanos;
  private int escapeToken;

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
    this.simInserted = config.simInserted();
    this.registration = config.registration();
    this.dataService = config.dataService();
    this.rssi = config.rssi();
    this.replyDelay = config.replyDelay();
    this.sms = new SmsService(this);
    this.data = dialect == Dialect.SIM7600 ? new SimcomData(this) : new QuectelData(this);
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
        chunk -> core.post(() -> core.feed(chunk)),
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
    echo = on;
  }

  int rssiNow() {
    return rssi;
  }

  int cfun() {
    return cfun;
  }

  SimCardState simState() {
    return sim;
  }

  boolean dataServiceAvailable() {
    return dataService;
  }

  DataDialect data() {
    return data;
  }

  /** The registration the modem reports now. */
  RegistrationState effectiveRegistration() {
    if (sim != SimCardState.READY || cfun != 1) {
      return RegistrationState.NOT_REGISTERED;
    }
    return registration;
  }

  int regUrcMode(int which) {
    return regUrcMode[which];
  }

  void setRegUrcMode(int which, int n) {
    regUrcMode[which] = n;
  }

  /** Fails with the CME error for the SIM state unless the SIM is ready. */
  void requireSim() throws AtError {
    switch (sim) {
      case READY -> {}
      case NOT_INSERTED -> throw AtError.cme(10);
      case SIM_PIN -> throw AtError.cme(11);
      case SIM_PUK -> throw AtError.cme(12);
    }
  }

  /** {@code AT+CPIN=...}. */
  void enterPin(AtCommand c) throws AtError {
    String first = c.str(0);
    switch (sim) {
      case NOT_INSERTED -> throw AtError.cme(10);
      case READY -> throw AtError.cme(3);
      case SIM_PIN -> {
        String pin = config.pin();
        if (pin != null && pin.equals(first)) {
          pinAttempts = 0;
          simBecomesReady();
        } else {
          pinAttempts++;
          if (pinAttempts >= 3) {
            sim = SimCardState.SIM_PUK;
          }
          throw AtError.cme(16);
        }
      }
      case SIM_PUK -> {
        if (config.puk().equals(first) && c.has(1)) {
          pinAttempts = 0;
          simBecomesReady();
        } else {
          throw AtError.cme(16);
        }
      }
    }
  }

  private void simBecomesReady() {
    RegistrationState before = effectiveRegistration();
    sim = SimCardState.READY;
    loop.execute(
        () -> {
          if (dialect == Dialect.SIM7600) {
            urc("SMS DONE");
            urc("PB DONE");
          }
          registrationChanged(before);
        });
  }

  void setCfun(int v) {
    RegistrationState before = effectiveRegistration();
    cfun = v;
    if (v != 1 && data.contextActive()) {
      data.reset();
    }
    loop.execute(() -> registrationChanged(before));
  }

  /** Prints the registration URCs when what the modem reports changed since {@code before}. */
  void registrationChanged(RegistrationState before) {
    RegistrationState now = effectiveRegistration();
    if (now == before) {
      return;
    }
    String[] names = {"+CREG", "+CGREG", "+CEREG"};
    for (int i = 0; i < 3; i++) {
      if (regUrcMode[i] == 1) {
        urc(names[i] + ": " + now.code());
      } else if (regUrcMode[i] >= 2) {
        urc(names[i] + ": " + now.code() + registrationDetail(i, now));
      }
    }
    if (!now.registered() && before.registered() && data.contextActive()) {
      data.contextLost();
    }
  }

  /** {@code ,<lac>,<ci>[,<act>]} when registered, "" otherwise. */
  String registrationDetail(int which, RegistrationState state) {
    if (!state.registered()) {
      return "";
    }
    String act = which == 0 ? "" : "," + config.accessTechnology();
    return ",\"1A2B\",\"01A2B3C4\"" + act;
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

  private boolean silent() {
    return wedged || poweredOff || booting;
  }

  // ---------------------------------------------------------------- input

  private void feed(SerialLine.Chunk chunk) {
    if (silent()) {
      return;
    }
    byte[] b = chunk.bytes();
    for (int i = 0; i < b.length; i++) {
      if (silent()) {
        return;
      }
      switch (mode) {
        case COMMAND -> commandByte(b[i]);
        case FIXED -> {
          int take = Math.min(fixedLength - payload.size(), b.length - i);
          payload.write(b, i, take);
          i += take - 1;
          if (payload.size() == fixedLength) {
            byte[] got = payload.toByteArray();
            payload.reset();
            mode = Mode.COMMAND;
            dropStraySub = true;
            payloadGeneration++;
            fixedDone.accept(got);
          }
        }
        case TERMINATED -> terminatedByte(b[i]);
        case DATA -> dataByte(b[i], chunk.nanos());
      }
    }
  }

  private void commandByte(byte b) {
    if (dropStraySub) {
      dropStraySub = false;
      if (b == 0x1A) {
        return;
      }
    }
    if (echo) {
      raw(new byte[] {b});
    }
    if (b == '\r') {
      String text = lineBuf.toString(StandardCharsets.ISO_8859_1);
      lineBuf.reset();
      commandLine(text);
    } else if (b == '\n') {
      // ignored: commands end with <CR>
    } else if (b == 0x08) {
      byte[] cur = lineBuf.toByteArray();
      lineBuf.reset();
      if (cur.length > 0) {
        lineBuf.write(cur, 0, cur.length - 1);
      }
    } else if (lineBuf.size() < 4096) {
      lineBuf.write(b);
    }
  }

  private void terminatedByte(byte b) {
    if (b == 0x1A) {
      byte[] got = payload.toByteArray();
      payload.reset();
      mode = Mode.COMMAND;
      terminatedDone.accept(got);
    } else if (b == 0x1B) {
      payload.reset();
      mode = Mode.COMMAND;
      terminatedAbort.run();
    } else if (payload.size() < 8192) {
      payload.write(b);
    }
  }

  /** Takes exactly {@code length} bytes next (a socket payload after the {@code >} prompt). */
  void expectFixed(int length, Consumer<byte[]> done, @Nullable Duration timeout, Runnable late) {
    mode = Mode.FIXED;
    fixedLength = length;
    payload.reset();
    fixedDone = done;
    int gen = ++payloadGeneration;
    if (timeout != null) {
      loop.schedule(
          () -> {
            if (mode == Mode.FIXED && payloadGeneration == gen) {
              mode = Mode.COMMAND;
              payload.reset();
              payloadGeneration++;
              late.run();
            }
          },
          timeout.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  /** Takes bytes up to 0x1A (send) or 0x1B (abort): SMS text or PDU. */
  void expectTerminated(Consumer<byte[]> done, Runnable abort) {
    mode = Mode.TERMINATED;
    payload.reset();
    terminatedDone = done;
    terminatedAbort = abort;
  }

  /** Enters data mode: every byte goes to {@code s} until {@code +++} or {@link #leaveData}. */
  void enterData(DataSink s) {
    mode = Mode.DATA;
    sink = s;
    lastDataNanos = System.nanoTime();
    plusCount = 0;
    escapeToken++;
  }

  /** Leaves data mode (remote close, context lost). */
  void leaveData() {
    if (mode == Mode.DATA) {
      mode = Mode.COMMAND;
      sink = null;
      plusCount = 0;
      escapeToken++;
    }
  }

  boolean inDataMode() {
    return mode == Mode.DATA;
  }

  private void dataByte(byte b, long nanos) {
    DataSink s = sink;
    if (s == null) {
      return;
    }
    long guard = config.guardTime().toNanos();
    if (plusCount == 0) {
      if (b == '+' && nanos - lastDataNanos >= guard) {
        plusCount = 1;
        firstPlusNanos = nanos;
      } else {
        s.data(new byte[] {b});
      }
    } else if (plusCount < 3 && b == '+' && nanos - firstPlusNanos <= guard) {
      plusCount++;
      if (plusCount == 3) {
        int token = ++escapeToken;
        long wait = guard - (System.nanoTime() - nanos);
        loop.schedule(() -> escapeIfQuiet(token), Math.max(0, wait), TimeUnit.NANOSECONDS);
      }
    } else {
      byte[] held = new byte[plusCount + 1];
      for (int i = 0; i < plusCount; i++) {
        held[i] = '+';
      }
      held[plusCount] = b;
      plusCount = 0;
      escapeToken++;
      s.data(held);
    }
    lastDataNanos = nanos;
  }

  private void escapeIfQuiet(int token) {
    if (mode != Mode.DATA || token != escapeToken || plusCount != 3) {
      return;
    }
    DataSink s = sink;
    mode = Mode.COMMAND;
    sink = null;
    plusCount = 0;
    line("OK");
    if (s != null) {
      s.escaped();
    }
  }

  private void commandLine(String raw) {
    String text = raw.strip();
    int at = text.toUpperCase(Locale.ROOT).indexOf("AT");
    if (at < 0) {
      return;
    }
    text = text.substring(at);
    commandLog.add(text);
    if (!replyDelay.isZero()) {
      LockSupport.parkNanos(replyDelay.toNanos());
    }
    String upper = text.toUpperCase(Locale.ROOT);
    synchronized (failures) {
      for (Map.Entry<String, String> f : failures.entrySet()) {
        if (upper.startsWith(f.getKey())) {
          line(f.getValue());
          return;
        }
      }
    }
    List<AtCommand> cmds;
    try {
      cmds = AtCommand.parseLine(text.substring(2));
    } catch (IllegalArgumentException e) {
      line("ERROR");
      return;
    }
    for (AtCommand c : cmds) {
      Handler h = table.get(c.name());
      if (h == null) {
        line("ERROR");
        return;
      }
      String result;
      try {
        result = h.handle(c);
      } catch (AtError e) {
        error(e);
        return;
      }
      if (result == null) {
        return;
      }
      if (!result.equals("OK")) {
        line(result);
        return;
      }
    }
    line("OK");
  }

  // ---------------------------------------------------------------- power

  /** Boots: state back to power-on, boot URCs. {@code afterReset} waits the reset duration. */
  void boot(boolean afterReset) {
    data.reset();
    leaveData();
    mode = Mode.COMMAND;
    lineBuf.reset();
    payload.reset();
    echo = true;
    cmee = 0;
    cfun = 1;
    wedged = false;
    poweredOff = false;
    java.util.Arrays.fill(regUrcMode, 0);
    sim =
        !simInserted
            ? SimCardState.NOT_INSERTED
            : config.pin() != null ? SimCardState.SIM_PIN : SimCardState.READY;
    pinAttempts = 0;
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
    return List.copyOf(commandLog);
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
    run(
        () -> {
          RegistrationState before = effectiveRegistration();
          simInserted = inserted;
          if (!inserted) {
            sim = SimCardState.NOT_INSERTED;
          } else if (sim == SimCardState.NOT_INSERTED) {
            sim = config.pin() != null ? SimCardState.SIM_PIN : SimCardState.READY;
          }
          registrationChanged(before);
        });
  }

  public void setRegistration(RegistrationState state) {
    run(
        () -> {
          RegistrationState before = effectiveRegistration();
          registration = state;
          registrationChanged(before);
        });
  }

  public void setDataService(boolean available) {
    run(
        () -> {
          dataService = available;
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
    run(() -> rssi = value);
  }

  public void failCommand(String prefix, String result) {
    synchronized (failures) {
      failures.put(prefix.toUpperCase(Locale.ROOT), result);
    }
  }

  public void clearCommandFailures() {
    synchronized (failures) {
      failures.clear();
    }
  }

  public void setGarbage(boolean on) {
    run(() -> garbage = on);
  }

  public void injectRaw(byte[] bytes) {
    run(() -> line.write(bytes));
  }

  public void setReplyDelay(Duration d) {
    run(() -> replyDelay = d);
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
    return call(() -> sim);
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
