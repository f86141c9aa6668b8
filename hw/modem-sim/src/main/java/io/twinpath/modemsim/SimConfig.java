package io.twinpath.modemsim;

import io.twinpath.modemsim.internal.SimConfigChecks;
import io.twinpath.modemsim.internal.SimSettings;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a simulated modem starts: dialect, SIM, network, link model and the forms to use where the AT
 * reference is not certain. Immutable; built with {@link #builder(Dialect)}, each value checked as
 * it is set. Faults that change while the modem runs are switches on {@link ModemSimulator}.
 */
public final class SimConfig {
  /**
   * How the SIM7600 announces pushed data ({@code AT+CIPRXGET=0}); the punctuation is unverified.
   */
  public enum PushHeader {
    /** {@code +RECEIVE,<link>,<len>} then CRLF and the data (CIPCCFG HeaderType=1). */
    RECEIVE,
    /** {@code +IPD<len>} then CRLF and the data (CIPCCFG HeaderType=0). */
    IPD
  }

  /** What a transparent session prints when the remote side closes (unverified per modem). */
  public enum TransparentClose {
    NO_CARRIER("NO CARRIER"),
    CLOSED("CLOSED");

    private final String text;

    TransparentClose(String text) {
      this.text = text;
    }

    /** The line the modem prints. */
    public String text() {
      return text;
    }
  }

  private final SimSettings s;
  private final TransparentClose transparentClose;

  private SimConfig(Builder b) {
    s = b.s.copy();
    TransparentClose form = b.s.transparentClose;
    transparentClose =
        form != null
            ? form
            : s.dialect == Dialect.SIM7600 ? TransparentClose.CLOSED : TransparentClose.NO_CARRIER;
  }

  /** A builder with defaults: SIM inserted without PIN, registered at home, RSSI 20, no delays. */
  public static Builder builder(Dialect dialect) {
    return new Builder(Objects.requireNonNull(dialect, "dialect"));
  }

  /** The defaults for {@code dialect}. */
  public static SimConfig of(Dialect dialect) {
    return builder(dialect).build();
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(s.copy());
    b.s.transparentClose = transparentClose;
    return b;
  }

  public Dialect dialect() {
    return s.dialect;
  }

  /** The SIM PIN; when set the SIM starts in {@code SIM PIN} state. */
  public @Nullable String pin() {
    return s.pin;
  }

  /** The PUK that unblocks the SIM after three wrong PINs. */
  public String puk() {
    return s.puk;
  }

  public boolean simInserted() {
    return s.simInserted;
  }

  /** Registration once the SIM is ready (CS and PS alike). */
  public RegistrationState registration() {
    return s.registration;
  }

  /** Whether a data context can be activated at start (SMS works either way). */
  public boolean dataService() {
    return s.dataService;
  }

  public int rssi() {
    return s.rssi;
  }

  public String operatorName() {
    return s.operatorName;
  }

  /** {@code <AcT>} in {@code +COPS}: 0 GSM, 2 UMTS, 7 LTE. */
  public int accessTechnology() {
    return s.accessTechnology;
  }

  /** The address the data context gets. */
  public String ipAddress() {
    return s.ipAddress;
  }

  public String imei() {
    return s.imei;
  }

  public String imsi() {
    return s.imsi;
  }

  public String iccid() {
    return s.iccid;
  }

  /** Whether the boot URCs ({@code RDY}, ...) are printed at attach and after a reset. */
  public boolean bootUrcs() {
    return s.bootUrcs;
  }

  /** How long a reset ({@code AT+CRESET}, power cycle) keeps the modem silent. */
  public Duration resetDuration() {
    return s.resetDuration;
  }

  /** Delay before every reply (slow modem). */
  public Duration replyDelay() {
    return s.replyDelay;
  }

  /** How long {@code NETOPEN} / {@code QIACT} take. */
  public Duration activationDelay() {
    return s.activationDelay;
  }

  /** How long a socket open waits for the TCP connection. */
  public Duration connectTimeout() {
    return s.connectTimeout;
  }

  /** One-way latency of the radio link. */
  public Duration linkLatency() {
    return s.linkLatency;
  }

  /** Bandwidth of the radio link each way in bit/s; 0 = unlimited. */
  public long linkBitsPerSecond() {
    return s.linkBitsPerSecond;
  }

  /** The silence before and after {@code +++} (1 s on the real modems). */
  public Duration guardTime() {
    return s.guardTime;
  }

  /** SIM7600: whether {@code OK} precedes {@code +CIPSEND: <link>,<req>,<cnf>} (unverified). */
  public boolean cipsendOk() {
    return s.cipsendOk;
  }

  /** SIM7600 push header before {@code AT+CIPCCFG} sets HeaderType. */
  public PushHeader pushHeader() {
    return s.pushHeader;
  }

  /** What a transparent session prints on remote close. */
  public TransparentClose transparentClose() {
    return transparentClose;
  }

  /** SIM7600 transparent open result text, {@code CONNECT 115200} or {@code CONNECT}. */
  public String sim7600Connect() {
    return s.sim7600Connect;
  }

  /**
   * EC25: how long {@code QISEND} waits for late data before answering {@code ERROR} (5 s on the
   * EC200U; unverified for the EC25); null waits forever.
   */
  public @Nullable Duration sendDataTimeout() {
    return s.sendDataTimeout;
  }

  /** Bytes a socket may hold unsent before the modem refuses more (EC25 {@code SEND FAIL}). */
  public int sendBufferBytes() {
    return s.sendBufferBytes;
  }

  /** Bytes a socket buffers from the network before it stops reading the TCP connection. */
  public int receiveBufferBytes() {
    return s.receiveBufferBytes;
  }

  /** Seed for the garbage-bytes fault, so a failing run can be repeated. */
  public long garbageSeed() {
    return s.garbageSeed;
  }

  @Override
  public String toString() {
    return "SimConfig{"
        + s.dialect
        + (s.pin != null ? ", pin=<set>" : "")
        + ", sim="
        + (s.simInserted ? "inserted" : "absent")
        + ", registration="
        + s.registration
        + ", rssi="
        + s.rssi
        + ", latency="
        + s.linkLatency
        + ", bps="
        + s.linkBitsPerSecond
        + "}";
  }

  /** Builds a {@link SimConfig}; every setter checks its value. */
  public static final class Builder {
    private final SimSettings s;

    private Builder(Dialect dialect) {
      this(new SimSettings(dialect));
    }

    private Builder(SimSettings s) {
      this.s = s;
    }

    /** A PIN of 4-8 digits locks the SIM at boot; null for no PIN. */
    public Builder pin(@Nullable String pin) {
      s.pin = SimConfigChecks.pin(pin);
      return this;
    }

    /** The 8-digit PUK. */
    public Builder puk(String puk) {
      s.puk = SimConfigChecks.puk(puk);
      return this;
    }

    public Builder simInserted(boolean inserted) {
      s.simInserted = inserted;
      return this;
    }

    public Builder registration(RegistrationState state) {
      s.registration = Objects.requireNonNull(state, "registration");
      return this;
    }

    public Builder dataService(boolean available) {
      s.dataService = available;
      return this;
    }

    /** 0-31, or 99 for unknown. */
    public Builder rssi(int rssi) {
      s.rssi = SimConfigChecks.rssi(rssi);
      return this;
    }

    public Builder operatorName(String name) {
      s.operatorName = SimConfigChecks.operatorName(name);
      return this;
    }

    /** 0 GSM, 2 UMTS, 7 LTE. */
    public Builder accessTechnology(int act) {
      s.accessTechnology = SimConfigChecks.accessTechnology(act);
      return this;
    }

    /** A dotted IPv4 address. */
    public Builder ipAddress(String ip) {
      s.ipAddress = SimConfigChecks.ipAddress(ip);
      return this;
    }

    public Builder imei(String imei) {
      s.imei = SimConfigChecks.digits("imei", imei, 15, 15);
      return this;
    }

    public Builder imsi(String imsi) {
      s.imsi = SimConfigChecks.digits("imsi", imsi, 6, 15);
      return this;
    }

    public Builder iccid(String iccid) {
      s.iccid = SimConfigChecks.digits("iccid", iccid, 18, 20);
      return this;
    }

    public Builder bootUrcs(boolean print) {
      s.bootUrcs = print;
      return this;
    }

    public Builder resetDuration(Duration d) {
      s.resetDuration = SimConfigChecks.nonNegative("resetDuration", d);
      return this;
    }

    public Builder replyDelay(Duration d) {
      s.replyDelay = SimConfigChecks.nonNegative("replyDelay", d);
      return this;
    }

    public Builder activationDelay(Duration d) {
      s.activationDelay = SimConfigChecks.nonNegative("activationDelay", d);
      return this;
    }

    public Builder connectTimeout(Duration d) {
      s.connectTimeout = SimConfigChecks.nonNegative("connectTimeout", d);
      if (d.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive, got 0");
      }
      return this;
    }

    public Builder linkLatency(Duration d) {
      s.linkLatency = SimConfigChecks.nonNegative("linkLatency", d);
      return this;
    }

    /** Bit/s each way; 0 = unlimited. */
    public Builder linkBitsPerSecond(long bps) {
      s.linkBitsPerSecond = SimConfigChecks.bps(bps);
      return this;
    }

    /** 50 ms to 5 s. */
    public Builder guardTime(Duration d) {
      s.guardTime = SimConfigChecks.guardTime(d);
      return this;
    }

    public Builder cipsendOk(boolean okBeforeConfirm) {
      s.cipsendOk = okBeforeConfirm;
      return this;
    }

    public Builder pushHeader(PushHeader header) {
      s.pushHeader = Objects.requireNonNull(header, "pushHeader");
      return this;
    }

    public Builder transparentClose(TransparentClose form) {
      s.transparentClose = Objects.requireNonNull(form, "transparentClose");
      return this;
    }

    /** {@code CONNECT} or {@code CONNECT <baud>}. */
    public Builder sim7600Connect(String text) {
      s.sim7600Connect = SimConfigChecks.sim7600Connect(text);
      return this;
    }

    /** Null waits forever for QISEND data. */
    public Builder sendDataTimeout(@Nullable Duration d) {
      if (d != null) {
        SimConfigChecks.nonNegative("sendDataTimeout", d);
      }
      s.sendDataTimeout = d;
      return this;
    }

    /** 1460 bytes to 16 MiB. */
    public Builder sendBufferBytes(int bytes) {
      s.sendBufferBytes = SimConfigChecks.range("sendBufferBytes", bytes, 1460, 16 << 20);
      return this;
    }

    /** 1500 bytes to 16 MiB. */
    public Builder receiveBufferBytes(int bytes) {
      s.receiveBufferBytes = SimConfigChecks.range("receiveBufferBytes", bytes, 1500, 16 << 20);
      return this;
    }

    public Builder garbageSeed(long seed) {
      s.garbageSeed = seed;
      return this;
    }

    public SimConfig build() {
      return new SimConfig(this);
    }
  }

  static int checkRssi(int rssi) {
    return SimConfigChecks.rssi(rssi);
  }

  static long checkBps(long bps) {
    return SimConfigChecks.bps(bps);
  }

  static Duration nonNegative(String key, Duration d) {
    return SimConfigChecks.nonNegative(key, d);
  }
}
