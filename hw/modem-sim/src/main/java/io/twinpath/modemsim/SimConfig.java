package io.twinpath.modemsim;

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

  private final Dialect dialect;
  private final @Nullable String pin;
  private final String puk;
  private final boolean simInserted;
  private final RegistrationState registration;
  private final boolean dataService;
  private final int rssi;
  private final String operatorName;
  private final int accessTechnology;
  private final String ipAddress;
  private final String imei;
  private final String imsi;
  private final String iccid;
  private final boolean bootUrcs;
  private final Duration resetDuration;
  private final Duration replyDelay;
  private final Duration activationDelay;
  private final Duration connectTimeout;
  private final Duration linkLatency;
  private final long linkBitsPerSecond;
  private final Duration guardTime;
  private final boolean cipsendOk;
  private final PushHeader pushHeader;
  private final TransparentClose transparentClose;
  private final String sim7600Connect;
  private final @Nullable Duration sendDataTimeout;
  private final int sendBufferBytes;
  private final int receiveBufferBytes;
  private final long garbageSeed;

  private SimConfig(Builder b) {
    dialect = b.dialect;
    pin = b.pin;
    puk = b.puk;
    simInserted = b.simInserted;
    registration = b.registration;
    dataService = b.dataService;
    rssi = b.rssi;
    operatorName = b.operatorName;
    accessTechnology = b.accessTechnology;
    ipAddress = b.ipAddress;
    imei = b.imei;
    imsi = b.imsi;
    iccid = b.iccid;
    bootUrcs = b.bootUrcs;
    resetDuration = b.resetDuration;
    replyDelay = b.replyDelay;
    activationDelay = b.activationDelay;
    connectTimeout = b.connectTimeout;
    linkLatency = b.linkLatency;
    linkBitsPerSecond = b.linkBitsPerSecond;
    guardTime = b.guardTime;
    cipsendOk = b.cipsendOk;
    pushHeader = b.pushHeader;
    transparentClose =
        b.transparentClose != null
            ? b.transparentClose
            : dialect == Dialect.SIM7600 ? TransparentClose.CLOSED : TransparentClose.NO_CARRIER;
    sim7600Connect = b.sim7600Connect;
    sendDataTimeout = b.sendDataTimeout;
    sendBufferBytes = b.sendBufferBytes;
    receiveBufferBytes = b.receiveBufferBytes;
    garbageSeed = b.garbageSeed;
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
    Builder b = new Builder(dialect);
    b.pin = pin;
    b.puk = puk;
    b.simInserted = simInserted;
    b.registration = registration;
    b.dataService = dataService;
    b.rssi = rssi;
    b.operatorName = operatorName;
    b.accessTechnology = accessTechnology;
    b.ipAddress = ipAddress;
    b.imei = imei;
    b.imsi = imsi;
    b.iccid = iccid;
    b.bootUrcs = bootUrcs;
    b.resetDuration = resetDuration;
    b.replyDelay = replyDelay;
    b.activationDelay = activationDelay;
    b.connectTimeout = connectTimeout;
    b.linkLatency = linkLatency;
    b.linkBitsPerSecond = linkBitsPerSecond;
    b.guardTime = guardTime;
    b.cipsendOk = cipsendOk;
    b.pushHeader = pushHeader;
    b.transparentClose = transparentClose;
    b.sim7600Connect = sim7600Connect;
    b.sendDataTimeout = sendDataTimeout;
    b.sendBufferBytes = sendBufferBytes;
    b.receiveBufferBytes = receiveBufferBytes;
    b.garbageSeed = garbageSeed;
    return b;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The SIM PIN; when set the SIM starts in {@code SIM PIN} state. */
  public @Nullable String pin() {
    return pin;
  }

  /** The PUK that unblocks the SIM after three wrong PINs. */
  public String puk() {
    return puk;
  }

  public boolean simInserted() {
    return simInserted;
  }

  /** Registration once the SIM is ready (CS and PS alike). */
  public RegistrationState registration() {
    return registration;
  }

  /** Whether a data context can be activated at start (SMS works either way). */
  public boolean dataService() {
    return dataService;
  }

  public int rssi() {
    return rssi;
  }

  public String operatorName() {
    return operatorName;
  }

  /** {@code <AcT>} in {@code +COPS}: 0 GSM, 2 UMTS, 7 LTE. */
  public int accessTechnology() {
    return accessTechnology;
  }

  /** The address the data context gets. */
  public String ipAddress() {
    return ipAddress;
  }

  public String imei() {
    return imei;
  }

  public String imsi() {
    return imsi;
  }

  public String iccid() {
    return iccid;
  }

  /** Whether the boot URCs ({@code RDY}, ...) are printed at attach and after a reset. */
  public boolean bootUrcs() {
    return bootUrcs;
  }

  /** How long a reset ({@code AT+CRESET}, power cycle) keeps the modem silent. */
  public Duration resetDuration() {
    return resetDuration;
  }

  /** Delay before every reply (slow modem). */
  public Duration replyDelay() {
    return replyDelay;
  }

  /** How long {@code NETOPEN} / {@code QIACT} take. */
  public Duration activationDelay() {
    return activationDelay;
  }

  /** How long a socket open waits for the TCP connection. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** One-way latency of the radio link. */
  public Duration linkLatency() {
    return linkLatency;
  }

  /** Bandwidth of the radio link each way in bit/s; 0 = unlimited. */
  public long linkBitsPerSecond() {
    return linkBitsPerSecond;
  }

  /** The silence before and after {@code +++} (1 s on the real modems). */
  public Duration guardTime() {
    return guardTime;
  }

  /** SIM7600: whether {@code OK} precedes {@code +CIPSEND: <link>,<req>,<cnf>} (unverified). */
  public boolean cipsendOk() {
    return cipsendOk;
  }

  /** SIM7600 push header before {@code AT+CIPCCFG} sets HeaderType. */
  public PushHeader pushHeader() {
    return pushHeader;
  }

  /** What a transparent session prints on remote close. */
  public TransparentClose transparentClose() {
    return transparentClose;
  }

  /** SIM7600 transparent open result text, {@code CONNECT 115200} or {@code CONNECT}. */
  public String sim7600Connect() {
    return sim7600Connect;
  }

  /**
   * EC25: how long {@code QISEND} waits for late data before answering {@code ERROR} (5 s on the
   * EC200U; unverified for the EC25); null waits forever.
   */
  public @Nullable Duration sendDataTimeout() {
    return sendDataTimeout;
  }

  /** Bytes a socket may hold unsent before the modem refuses more (EC25 {@code SEND FAIL}). */
  public int sendBufferBytes() {
    return sendBufferBytes;
  }

  /** Bytes a socket buffers from the network before it stops reading the TCP connection. */
  public int receiveBufferBytes() {
    return receiveBufferBytes;
  }

  /** Seed for the garbage-bytes fault, so a failing run can be repeated. */
  public long garbageSeed() {
    return garbageSeed;
  }

  @Override
  public String toString() {
    return "SimConfig{"
        + dialect
        + (pin != null ? ", pin=<set>" : "")
        + ", sim="
        + (simInserted ? "inserted" : "absent")
        + ", registration="
        + registration
        + ", rssi="
        + rssi
        + ", latency="
        + linkLatency
        + ", bps="
        + linkBitsPerSecond
        + "}";
  }

  /** Builds a {@link SimConfig}; every setter checks its value. */
  public static final class Builder {
    private final Dialect dialect;
    private @Nullable String pin;
    private String puk = "12345678";
    private boolean simInserted = true;
    private RegistrationState registration = RegistrationState.HOME;
    private boolean dataService = true;
    private int rssi = 20;
    private String operatorName = "Twinpath Mobile";
    private int accessTechnology = 7;
    private String ipAddress = "10.64.0.2";
    private String imei = "869951030000017";
    private String imsi = "001010123456789";
    private String iccid = "8988211000000000017";
    private boolean bootUrcs = true;
    private Duration resetDuration = Duration.ofMillis(200);
    private Duration replyDelay = Duration.ZERO;
    private Duration activationDelay = Duration.ofMillis(20);
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration linkLatency = Duration.ZERO;
    private long linkBitsPerSecond;
    private Duration guardTime = Duration.ofSeconds(1);
    private boolean cipsendOk = true;
    private PushHeader pushHeader = PushHeader.RECEIVE;
    private @Nullable TransparentClose transparentClose;
    private String sim7600Connect = "CONNECT 115200";
    private @Nullable Duration sendDataTimeout;
    private int sendBufferBytes = 64 * 1024;
    private int receiveBufferBytes = 64 * 1024;
    private long garbageSeed = 7;

    private Builder(Dialect dialect) {
      this.dialect = dialect;
    }

    /** A PIN of 4-8 digits locks the SIM at boot; null for no PIN. */
    public Builder pin(@Nullable String pin) {
      if (pin != null && !pin.matches("[0-9]{4,8}")) {
        throw new IllegalArgumentException(
            "pin '" + pin.replaceAll(".", "*") + "' is not 4 to 8 digits");
      }
      this.pin = pin;
      return this;
    }

    /** The 8-digit PUK. */
    public Builder puk(String puk) {
      if (!puk.matches("[0-9]{8}")) {
        throw new IllegalArgumentException("puk is not 8 digits");
      }
      this.puk = puk;
      return this;
    }

    public Builder simInserted(boolean inserted) {
      this.simInserted = inserted;
      return this;
    }

    public Builder registration(RegistrationState state) {
      this.registration = Objects.requireNonNull(state, "registration");
      return this;
    }

    public Builder dataService(boolean available) {
      this.dataService = available;
      return this;
    }

    /** 0-31, or 99 for unknown. */
    public Builder rssi(int rssi) {
      this.rssi = checkRssi(rssi);
      return this;
    }

    public Builder operatorName(String name) {
      if (name.isEmpty() || name.length() > 24 || name.contains("\"")) {
        throw new IllegalArgumentException(
            "operatorName '" + name + "' must be 1-24 characters without quotes");
      }
      this.operatorName = name;
      return this;
    }

    /** 0 GSM, 2 UMTS, 7 LTE. */
    public Builder accessTechnology(int act) {
      if (act != 0 && act != 2 && act != 7) {
        throw new IllegalArgumentException(
            "accessTechnology " + act + " is not accepted; use 0 (GSM), 2 (UMTS) or 7 (LTE)");
      }
      this.accessTechnology = act;
      return this;
    }

    /** A dotted IPv4 address. */
    public Builder ipAddress(String ip) {
      if (!ip.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
        throw new IllegalArgumentException("ipAddress '" + ip + "' is not a dotted IPv4 address");
      }
      this.ipAddress = ip;
      return this;
    }

    public Builder imei(String imei) {
      this.imei = digits("imei", imei, 15, 15);
      return this;
    }

    public Builder imsi(String imsi) {
      this.imsi = digits("imsi", imsi, 6, 15);
      return this;
    }

    public Builder iccid(String iccid) {
      this.iccid = digits("iccid", iccid, 18, 20);
      return this;
    }

    public Builder bootUrcs(boolean print) {
      this.bootUrcs = print;
      return this;
    }

    public Builder resetDuration(Duration d) {
      this.resetDuration = nonNegative("resetDuration", d);
      return this;
    }

    public Builder replyDelay(Duration d) {
      this.replyDelay = nonNegative("replyDelay", d);
      return this;
    }

    public Builder activationDelay(Duration d) {
      this.activationDelay = nonNegative("activationDelay", d);
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = nonNegative("connectTimeout", d);
      if (d.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive, got 0");
      }
      return this;
    }

    public Builder linkLatency(Duration d) {
      this.linkLatency = nonNegative("linkLatency", d);
      return this;
    }

    /** Bit/s each way; 0 = unlimited. */
    public Builder linkBitsPerSecond(long bps) {
      this.linkBitsPerSecond = checkBps(bps);
      return this;
    }

    /** 50 ms to 5 s. */
    public Builder guardTime(Duration d) {
      if (d.compareTo(Duration.ofMillis(50)) < 0 || d.compareTo(Duration.ofSeconds(5)) > 0) {
        throw new IllegalArgumentException(
            "guardTime " + d.toMillis() + " ms is not accepted; use 50 ms to 5 s");
      }
      this.guardTime = d;
      return this;
    }

    public Builder cipsendOk(boolean okBeforeConfirm) {
      this.cipsendOk = okBeforeConfirm;
      return this;
    }

    public Builder pushHeader(PushHeader header) {
      this.pushHeader = Objects.requireNonNull(header, "pushHeader");
      return this;
    }

    public Builder transparentClose(TransparentClose form) {
      this.transparentClose = Objects.requireNonNull(form, "transparentClose");
      return this;
    }

    /** {@code CONNECT} or {@code CONNECT <baud>}. */
    public Builder sim7600Connect(String text) {
      if (!text.matches("CONNECT( [0-9]+)?")) {
        throw new IllegalArgumentException(
            "sim7600Connect '" + text + "' is not accepted; use CONNECT or CONNECT <baud>");
      }
      this.sim7600Connect = text;
      return this;
    }

    /** Null waits forever for QISEND data. */
    public Builder sendDataTimeout(@Nullable Duration d) {
      if (d != null) {
        nonNegative("sendDataTimeout", d);
      }
      this.sendDataTimeout = d;
      return this;
    }

    /** 1460 bytes to 16 MiB. */
    public Builder sendBufferBytes(int bytes) {
      this.sendBufferBytes = range("sendBufferBytes", bytes, 1460, 16 << 20);
      return this;
    }

    /** 1500 bytes to 16 MiB. */
    public Builder receiveBufferBytes(int bytes) {
      this.receiveBufferBytes = range("receiveBufferBytes", bytes, 1500, 16 << 20);
      return this;
    }

    public Builder garbageSeed(long seed) {
      this.garbageSeed = seed;
      return this;
    }

    public SimConfig build() {
      return new SimConfig(this);
    }

    private static String digits(String key, String v, int min, int max) {
      if (!v.matches("[0-9]{" + min + "," + max + "}")) {
        throw new IllegalArgumentException(
            key + " '" + v + "' is not accepted; use " + min + "-" + max + " digits");
      }
      return v;
    }

    private static int range(String key, int v, int min, int max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            key + " " + v + " is not accepted; use " + min + " to " + max);
      }
      return v;
    }
  }

  static int checkRssi(int rssi) {
    if ((rssi < 0 || rssi > 31) && rssi != 99) {
      throw new IllegalArgumentException(
          "rssi " + rssi + " is not accepted; use 0-31, or 99 for unknown");
    }
    return rssi;
  }

  static long checkBps(long bps) {
    if (bps < 0 || (bps > 0 && bps < 1200)) {
      throw new IllegalArgumentException(
          "link bit rate " + bps + " is not accepted; use 0 (unlimited) or at least 1200 bit/s");
    }
    return bps;
  }

  static Duration nonNegative(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative()) {
      throw new IllegalArgumentException(key + " " + d + " is negative; use zero or more");
    }
    return d;
  }
}
