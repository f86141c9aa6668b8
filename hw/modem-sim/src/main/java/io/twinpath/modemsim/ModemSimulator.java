package io.twinpath.modemsim;

import io.twinpath.modemsim.internal.Counters;
import io.twinpath.modemsim.internal.ModemCore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A simulated SIM7600 or EC25 on a tty (one end of a socat pty pair), with live fault switches.
 *
 * <p>{@link #attach(String, SimConfig)} opens the tty, boots the modem (boot URCs) and serves
 * commands on its own threads until {@link #close()}. Modem sockets become real TCP connections to
 * the host and port in {@code AT+CIPOPEN} / {@code AT+QIOPEN}, through a link model with latency
 * and bit rate. Every switch is thread-safe and takes effect at once.
 */
public final class ModemSimulator implements AutoCloseable {
  private final ModemCore core;
  private final SimConfig config;
  private final String tty;

  private ModemSimulator(ModemCore core, SimConfig config, String tty) {
    this.core = core;
    this.config = config;
    this.tty = tty;
  }

  /** Opens {@code tty} and boots a modem configured by {@code config}. */
  public static ModemSimulator attach(String tty, SimConfig config) throws IOException {
    Objects.requireNonNull(tty, "tty");
    Objects.requireNonNull(config, "config");
    return new ModemSimulator(ModemCore.start(tty, config), config, tty);
  }

  /** A SIM7600 with default settings on {@code tty}. */
  public static ModemSimulator attach(String tty) throws IOException {
    return attach(tty, SimConfig.of(Dialect.SIM7600));
  }

  public SimConfig config() {
    return config;
  }

  public Dialect dialect() {
    return config.dialect();
  }

  public String tty() {
    return tty;
  }

  // ------------------------------------------------------------------ SIM and network

  /** Removes ({@code false}) or inserts the SIM; registration and data follow. */
  public void setSimInserted(boolean inserted) {
    core.setSimInserted(inserted);
  }

  /** What {@code AT+CPIN?} would report now. */
  public SimCardState simState() {
    return core.simCardState();
  }

  /**
   * Sets the network registration; registration URCs go out for every {@code +CREG/+CGREG/+CEREG}
   * with URCs enabled, and losing registration drops an active data context.
   */
  public void setRegistration(RegistrationState state) {
    core.setRegistration(Objects.requireNonNull(state, "state"));
  }

  /** Shorthand for {@code setRegistration(NOT_REGISTERED)}. */
  public void loseRegistration() {
    setRegistration(RegistrationState.NOT_REGISTERED);
  }

  /**
   * Data service on or off. Off drops an active context (URC, sockets closed) and refuses {@code
   * NETOPEN} / {@code QIACT}; SMS keeps working.
   */
  public void setDataService(boolean available) {
    core.setDataService(available);
  }

  /**
   * The network drops the data context now: SIM7600 prints {@code +CIPEVENT: NETWORK CLOSED
   * UNEXPECTEDLY}, EC25 {@code +QIURC: "pdpdeact",<ctx>}; every socket is gone, and a transparent
   * session ends with {@code NO CARRIER}. The driver must close and rebuild (NETCLOSE / QIDEACT).
   */
  public void dropDataContext() {
    core.dropDataContext();
  }

  /** True while a data context is up (NETOPEN done / QIACT active) and not broken. */
  public boolean dataContextActive() {
    return core.contextActive();
  }

  /**
   * Every remote peer closes its connection now: {@code +IPCLOSE: <link>,1} / {@code +QIURC:
   * "closed",<id>}, or in a transparent session the configured close text.
   */
  public void closeRemoteSockets() {
    core.hangUp(false);
  }

  /**
   * The carrier drops: like {@link #closeRemoteSockets()}, but a transparent session always ends
   * with {@code NO CARRIER}.
   */
  public void dropCarrier() {
    core.hangUp(true);
  }

  /** Signal for {@code AT+CSQ}: 0-31, 99 unknown. */
  public void setRssi(int rssi) {
    core.setRssi(SimConfig.checkRssi(rssi));
  }

  // ------------------------------------------------------------------ line faults

  /**
   * Every command line starting with {@code commandPrefix} (e.g. {@code AT+CIPOPEN}, any case) gets
   * {@code ERROR} instead of being executed, until {@link #clearCommandFailures()}.
   */
  public void failCommand(String commandPrefix) {
    failCommand(commandPrefix, "ERROR");
  }

  /**
   * Like {@link #failCommand(String)} with another final result, e.g. {@code NO CARRIER} or {@code
   * +CME ERROR: 30}.
   */
  public void failCommand(String commandPrefix, String finalResult) {
    Objects.requireNonNull(commandPrefix, "commandPrefix");
    Objects.requireNonNull(finalResult, "finalResult");
    if (!commandPrefix.toUpperCase(java.util.Locale.ROOT).startsWith("AT")) {
      throw new IllegalArgumentException(
          "commandPrefix '" + commandPrefix + "' must start with AT, e.g. AT+CIPOPEN");
    }
    core.failCommand(commandPrefix, finalResult);
  }

  public void clearCommandFailures() {
    core.clearCommandFailures();
  }

  /** Garbage bytes (no CR, LF or {@code >}) before every response line and URC while on. */
  public void setGarbage(boolean on) {
    core.setGarbage(on);
  }

  /** Writes {@code bytes} to the host now, e.g. a URC in the middle of an exchange. */
  public void injectRaw(byte[] bytes) {
    core.injectRaw(bytes.clone());
  }

  /** Every reply waits this long (slow modem); zero turns it off. */
  public void setReplyDelay(Duration delay) {
    core.setReplyDelay(SimConfig.nonNegative("replyDelay", delay));
  }

  /**
   * Wedged: reads and ignores everything, prints nothing, until {@link #reset()} or {@code
   * setWedged(false)}.
   */
  public void setWedged(boolean wedged) {
    core.setWedged(wedged);
  }

  /** Output goes out in writes of at most {@code maxBytes} (0 = whole responses). */
  public void setSplitWrites(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("split writes " + maxBytes + " is negative");
    }
    core.setSplitWrites(maxBytes);
  }

  /** One-way latency of the radio link, live. */
  public void setLinkLatency(Duration latency) {
    core.setLatency(SimConfig.nonNegative("linkLatency", latency));
  }

  /** Bit rate of the radio link each way, live; 0 = unlimited. */
  public void setLinkBitsPerSecond(long bps) {
    core.setBitsPerSecond(SimConfig.checkBps(bps));
  }

  // ------------------------------------------------------------------ power

  /**
   * A power cycle or reset-line pulse: sockets dropped, silent for {@link
   * SimConfig#resetDuration()}, then boots (echo on, PIN locked again, boot URCs). Also ends a
   * wedge or a power-off.
   */
  public void reset() {
    core.reset();
  }

  /** True after {@code AT+CPOF} / {@code AT+QPOWD} until {@link #reset()}. */
  public boolean poweredOff() {
    return core.isPoweredOff();
  }

  /** True while a reset is in progress. */
  public boolean booting() {
    return core.isBooting();
  }

  // ------------------------------------------------------------------ records

  /** Every SMS part sent so far, in order. */
  public List<SentSms> sentSms() {
    return core.sentSms();
  }

  /**
   * The texts of the SMS sent so far with concatenated parts joined (by destination and reference,
   * ordered by part number), in the order their first part was sent.
   */
  public List<String> sentTexts() {
    Map<String, String[]> joined = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (SentSms s : sentSms()) {
      if (!s.concatenated()) {
        joined.put("single-" + joined.size(), new String[] {s.text()});
        continue;
      }
      String key = s.number() + "#" + s.concatReference() + "#" + s.partCount();
      String[] parts = joined.computeIfAbsent(key, k -> new String[s.partCount()]);
      if (s.partNumber() >= 1 && s.partNumber() <= parts.length) {
        parts[s.partNumber() - 1] = s.text();
      }
    }
    for (String[] parts : joined.values()) {
      StringBuilder sb = new StringBuilder();
      for (String p : parts) {
        sb.append(p == null ? "" : p);
      }
      out.add(sb.toString());
    }
    return out;
  }

  /**
   * Calls {@code listener} for every SMS part as it is sent (on the simulator's thread: keep it
   * short); replaces an earlier listener.
   */
  public void onSmsSent(java.util.function.Consumer<SentSms> listener) {
    core.onSmsSent(Objects.requireNonNull(listener, "listener"));
  }

  /** Command lines received (from {@code AT}, without the CR), oldest first. */
  public List<String> commandLog() {
    return core.commandLog();
  }

  /** Bytes from the host on the serial line. */
  public long serialBytesIn() {
    return counters().serialIn();
  }

  /** Bytes to the host on the serial line. */
  public long serialBytesOut() {
    return counters().serialOut();
  }

  /** Payload bytes written to the remote TCP peers. */
  public long tcpBytesSent() {
    return counters().tcpSent();
  }

  /** Payload bytes read from the remote TCP peers. */
  public long tcpBytesReceived() {
    return counters().tcpReceived();
  }

  /** Sets all four byte counters to zero. */
  public void resetCounters() {
    counters().reset();
  }

  private Counters counters() {
    return core.byteCounters();
  }

  /** Blocks until {@link #close()} (for the command line). */
  public void awaitClosed() throws InterruptedException {
    core.awaitClosed();
  }

  /** Drops every socket and releases the tty. */
  @Override
  public void close() {
    core.close();
  }
}
