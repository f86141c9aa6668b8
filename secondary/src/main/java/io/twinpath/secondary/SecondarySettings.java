package io.twinpath.secondary;

import static io.twinpath.secondary.internal.SettingChecks.byDefault;
import static io.twinpath.secondary.internal.SettingChecks.within;

import com.google.gson.JsonObject;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.inbound.FetchPolicy;
import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.hw.Sleeper;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.power.PowerConfig;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.secondary.internal.SettingChecks;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything a secondary needs to run, whichever front end read it (the dongle's config file, the
 * Kura form). Immutable; built by {@link #builder()}, which checks each value as it is set and
 * fails with a sentence naming the key, the value and what is accepted. Key names are the ones both
 * front ends use ({@code modem.poll}, {@code gpio.power-pin}, {@code sms.numbers}, …).
 *
 * <p>The SMTP account and the inbound mailbox are given as recipes (a fresh builder each time),
 * because the route is applied by the secondary itself: the modem's sockets, or the cellular
 * interface's bind address.
 */
public final class SecondarySettings {
  /** Which route the secondary's connections take. */
  public enum PathKind {
    /** TCP sockets through the modem's own stack (AT commands). */
    MODEM,
    /** A cellular network interface, selected by binding to its local address. */
    INTERFACE,
    /** No sending path: this device only holds copies. */
    NONE
  }

  private final DeviceId device;
  private final List<DeviceId> peers;
  private final List<DeviceId> order;
  private final Map<DeviceId, String> peerKeys;
  private final Path dataDir;
  private final long storageBudget;
  private final Duration takeoverDelay;
  private final LinkSettings link;
  private final PathKind path;
  private final @Nullable InetAddress bindAddress;
  private final @Nullable Supplier<SmtpSettings.Builder> smtp;
  private final @Nullable Modem modem;
  private final List<String> smsNumbers;
  private final Duration smsDelay;
  private final @Nullable Inbound inbound;
  private final List<TwinpathListener> listeners;
  private final Map<String, Supplier<JsonObject>> healthSections;
  private final Duration connectWait;
  private final Clock clock;

  private SecondarySettings(Builder b) {
    this.device = Objects.requireNonNull(b.device, "device");
    this.peers = List.copyOf(b.peers);
    this.order =
        b.order != null ? List.copyOf(b.order) : SettingChecks.defaultOrder(b.peers, device);
    this.peerKeys = Map.copyOf(b.peerKeys);
    this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
    this.storageBudget = b.storageBudget;
    this.takeoverDelay = b.takeoverDelay;
    this.link = Objects.requireNonNull(b.link, "link");
    this.path = b.path;
    this.bindAddress = b.bindAddress;
    this.smtp = b.smtp;
    this.modem = b.modem;
    this.smsNumbers = List.copyOf(b.smsNumbers);
    this.smsDelay = b.smsDelay;
    this.inbound = b.inbound;
    this.listeners = List.copyOf(b.listeners);
    this.healthSections = Map.copyOf(b.healthSections);
    this.connectWait = b.connectWait;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  public DeviceId device() {
    return device;
  }

  public List<DeviceId> peers() {
    return peers;
  }

  public List<DeviceId> order() {
    return order;
  }

  /** Peer public keys (base64) trusted at start; empty when pairing is done by command. */
  public Map<DeviceId, String> peerKeys() {
    return peerKeys;
  }

  public Path dataDir() {
    return dataDir;
  }

  public long storageBudget() {
    return storageBudget;
  }

  public Duration takeoverDelay() {
    return takeoverDelay;
  }

  public LinkSettings link() {
    return link;
  }

  public PathKind path() {
    return path;
  }

  public @Nullable InetAddress bindAddress() {
    return bindAddress;
  }

  /** A fresh builder holding the SMTP account (no route applied yet); null without a path. */
  public @Nullable Supplier<SmtpSettings.Builder> smtp() {
    return smtp;
  }

  public @Nullable Modem modem() {
    return modem;
  }

  public List<String> smsNumbers() {
    return smsNumbers;
  }

  public Duration smsDelay() {
    return smsDelay;
  }

  public @Nullable Inbound inbound() {
    return inbound;
  }

  public List<TwinpathListener> listeners() {
    return listeners;
  }

  /** Extra sections of the health document, e.g. the dongle's embedded broker. */
  public Map<String, Supplier<JsonObject>> healthSections() {
    return healthSections;
  }

  /** How long a start waits for the engine's MQTT connection before going on anyway. */
  public Duration connectWait() {
    return connectWait;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * The modem: its port, dialect and SIM/APN settings, how often its health is checked, and how it
   * is recovered when it stops answering (GPIO power key / reset line, when wired).
   */
  public static final class Modem {
    private final SerialSettings serial;
    private final ModemDialect dialect;
    private final ModemConfig config;
    private final Duration poll;
    private final @Nullable PowerConfig power;
    private final int recoveryAfter;
    private final Duration recoveryBackoff;
    private final Duration recoveryBackoffMax;
    private final Supplier<Context> gpio;
    private final Sleeper sleeper;

    private Modem(ModemBuilder b) {
      this.gpio = b.gpio;
      this.sleeper = b.sleeper;
      this.serial = b.serial;
      this.dialect = b.dialect;
      this.config = b.config;
      this.poll = b.poll;
      this.power = b.power;
      this.recoveryAfter = b.recoveryAfter;
      this.recoveryBackoff = b.recoveryBackoff;
      this.recoveryBackoffMax = b.recoveryBackoffMax;
    }

    public static ModemBuilder builder(
        SerialSettings serial, ModemDialect dialect, ModemConfig config) {
      return new ModemBuilder(serial, dialect, config);
    }

    public SerialSettings serial() {
      return serial;
    }

    public ModemDialect dialect() {
      return dialect;
    }

    public ModemConfig config() {
      return config;
    }

    /** {@code modem.poll}: how often health is checked. */
    public Duration poll() {
      return poll;
    }

    /** The GPIO lines wired to the modem, or null when none are. */
    public @Nullable PowerConfig power() {
      return power;
    }

    /** {@code modem.recovery-after}: failed health checks in a row before a recovery. */
    public int recoveryAfter() {
      return recoveryAfter;
    }

    /**
     * {@code modem.recovery-backoff}: the pause after the first failed recovery, doubled after
     * each.
     */
    public Duration recoveryBackoff() {
      return recoveryBackoff;
    }

    /** {@code modem.recovery-backoff-max}: the longest pause between recoveries. */
    public Duration recoveryBackoffMax() {
      return recoveryBackoffMax;
    }

    /** Where the GPIO lines come from (Pi4J's auto-detected platform on a board). */
    public Supplier<Context> gpio() {
      return gpio;
    }

    /** What the power pulses and boot waits sleep with. */
    public Sleeper sleeper() {
      return sleeper;
    }
  }

  /** Builds {@link Modem}; the defaults are those of {@link SettingsTable}. */
  public static final class ModemBuilder {
    private final SerialSettings serial;
    private final ModemDialect dialect;
    private final ModemConfig config;
    private Duration poll = byDefault(SettingsTable.MODEM_POLL);
    private @Nullable PowerConfig power;
    private int recoveryAfter = byDefault(SettingsTable.MODEM_RECOVERY_AFTER);
    private Duration recoveryBackoff = byDefault(SettingsTable.MODEM_RECOVERY_BACKOFF);
    private Duration recoveryBackoffMax = byDefault(SettingsTable.MODEM_RECOVERY_BACKOFF_MAX);
    private Supplier<Context> gpio = Pi4J::newAutoContext;
    private Sleeper sleeper = Sleeper.SYSTEM;

    private ModemBuilder(SerialSettings serial, ModemDialect dialect, ModemConfig config) {
      this.serial = Objects.requireNonNull(serial, "serial");
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      this.config = Objects.requireNonNull(config, "config");
    }

    public ModemBuilder poll(Duration d) {
      poll = within(SettingsTable.MODEM_POLL, d);
      return this;
    }

    /** The board's GPIO lines; null when the modem has none wired. */
    public ModemBuilder power(@Nullable PowerConfig p) {
      power = p;
      return this;
    }

    public ModemBuilder recoveryAfter(int failures) {
      recoveryAfter = SettingsTable.MODEM_RECOVERY_AFTER.parse(Integer.toString(failures));
      return this;
    }

    public ModemBuilder recoveryBackoff(Duration first, Duration max) {
      SettingChecks.recoveryBackoff(first, max);
      recoveryBackoff = first;
      recoveryBackoffMax = max;
      return this;
    }

    /** The Pi4J context the GPIO lines are claimed in; default: Pi4J's auto-detected one. */
    public ModemBuilder gpio(Supplier<Context> context) {
      gpio = Objects.requireNonNull(context, "context");
      return this;
    }

    public ModemBuilder sleeper(Sleeper s) {
      sleeper = Objects.requireNonNull(s, "sleeper");
      return this;
    }

    public Modem build() {
      return new Modem(this);
    }
  }

  /** Inbound mail: the mailbox, when to fetch it, and how much may be held for the hosts. */
  public static final class Inbound {
    private final Supplier<FetchSettings.Builder> fetch;
    private final FetchPolicy policy;
    private final long budgetBytes;

    private Inbound(Supplier<FetchSettings.Builder> fetch, FetchPolicy policy, long budgetBytes) {
      this.fetch = fetch;
      this.policy = policy;
      this.budgetBytes = budgetBytes;
    }

    /**
     * @param fetch a fresh builder holding the mailbox account each time (no route applied yet)
     */
    public static Inbound of(
        Supplier<FetchSettings.Builder> fetch, FetchPolicy policy, long budgetBytes) {
      if (budgetBytes < 1) {
        throw new IllegalArgumentException(
            "inbound.budget = " + budgetBytes + " is not accepted: use a positive size");
      }
      return new Inbound(
          Objects.requireNonNull(fetch, "fetch"),
          Objects.requireNonNull(policy, "policy"),
          budgetBytes);
    }

    public Supplier<FetchSettings.Builder> fetch() {
      return fetch;
    }

    public FetchPolicy policy() {
      return policy;
    }

    public long budgetBytes() {
      return budgetBytes;
    }
  }

  /** Builder; every value is checked as it is set. */
  public static final class Builder {
    private @Nullable DeviceId device;
    private List<DeviceId> peers = List.of();
    private @Nullable List<DeviceId> order;
    private Map<DeviceId, String> peerKeys = Map.of();
    private @Nullable Path dataDir;
    private long storageBudget = byDefault(SettingsTable.STORAGE_BUDGET);
    private Duration takeoverDelay = byDefault(SettingsTable.TAKEOVER_DELAY);
    private @Nullable LinkSettings link;
    private PathKind path = PathKind.NONE;
    private @Nullable InetAddress bindAddress;
    private @Nullable Supplier<SmtpSettings.Builder> smtp;
    private @Nullable Modem modem;
    private List<String> smsNumbers = List.of();
    private Duration smsDelay = byDefault(SettingsTable.SMS_DELAY);
    private @Nullable Inbound inbound;
    private final List<TwinpathListener> listeners = new ArrayList<>();
    private final Map<String, Supplier<JsonObject>> healthSections = new LinkedHashMap<>();
    private Duration connectWait = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder device(DeviceId d) {
      device = Objects.requireNonNull(d, "device");
      return this;
    }

    public Builder peers(List<DeviceId> p) {
      peers = List.copyOf(p);
      return this;
    }

    /** The turn order of all devices; default: the peers, then this device. */
    public Builder order(List<DeviceId> o) {
      order = List.copyOf(o);
      return this;
    }

    /** Peer public keys (X.509, base64) to trust at start, e.g. from a configuration form. */
    public Builder peerKeys(Map<DeviceId, String> keys) {
      peerKeys = Map.copyOf(keys);
      return this;
    }

    public Builder dataDir(Path d) {
      dataDir = Objects.requireNonNull(d, "dataDir");
      return this;
    }

    public Builder storageBudget(long bytes) {
      storageBudget = SettingsTable.STORAGE_BUDGET.parse(Long.toString(bytes));
      return this;
    }

    public Builder takeoverDelay(Duration d) {
      takeoverDelay = within(SettingsTable.TAKEOVER_DELAY, d);
      return this;
    }

    /** The engine's MQTT link (broker URL, credentials, TLS). */
    public Builder link(LinkSettings l) {
      link = Objects.requireNonNull(l, "link");
      return this;
    }

    /** No sending path: this device only holds copies and passes turns on. */
    public Builder noPath() {
      path = PathKind.NONE;
      smtp = null;
      modem = null;
      bindAddress = null;
      return this;
    }

    /** SMTP over the modem's own TCP stack. */
    public Builder modemPath(Modem m, Supplier<SmtpSettings.Builder> account) {
      path = PathKind.MODEM;
      modem = Objects.requireNonNull(m, "modem");
      smtp = Objects.requireNonNull(account, "account");
      bindAddress = null;
      return this;
    }

    /** SMTP over a cellular network interface, bound to its local address. */
    public Builder interfacePath(InetAddress bind, Supplier<SmtpSettings.Builder> account) {
      path = PathKind.INTERFACE;
      bindAddress = Objects.requireNonNull(bind, "bind");
      smtp = Objects.requireNonNull(account, "account");
      modem = null;
      return this;
    }

    /**
     * SMS notices about mail stuck while cellular data is down (with the modem path only); an empty
     * list turns them off.
     */
    public Builder sms(List<String> numbers, Duration delay) {
      smsNumbers = SettingsTable.SMS_NUMBERS.parse(String.join(",", numbers));
      smsDelay = within(SettingsTable.SMS_DELAY, delay);
      return this;
    }

    public Builder inbound(@Nullable Inbound in) {
      inbound = in;
      return this;
    }

    /** Receives the engine's events and the modem's recoveries, next to the log. */
    public Builder listener(TwinpathListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /** Adds a section to the health document ({@code twinpath/<device>/health}). */
    public Builder healthSection(String name, Supplier<JsonObject> section) {
      healthSections.put(Objects.requireNonNull(name), Objects.requireNonNull(section));
      return this;
    }

    public Builder connectWait(Duration d) {
      if (d.isNegative() || d.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("connect wait " + d + " is not within 0 to 5 minutes");
      }
      connectWait = d;
      return this;
    }

    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public SecondarySettings build() {
      SettingChecks.complete(device, peers, dataDir, link);
      return new SecondarySettings(this);
    }
  }

  /**
   * The board's GPIO wiring for a modem of {@code dialect}: the power key line ({@code
   * gpio.power-pin}) and optionally a reset line ({@code gpio.reset-pin}), with the module's pulse
   * lengths and boot time (SIM7600: on 2 s, off 3 s, boot 20 s; EC25: 1.5 s, 1.5 s, reset 0.5 s,
   * boot 15 s).
   *
   * @return null when no line is wired
   * @throws IllegalArgumentException naming the key when a pin is out of range, the two are equal,
   *     or a reset line is given without a power key line
   */
  public static @Nullable PowerConfig gpio(
      ModemDialect dialect, @Nullable Integer powerPin, @Nullable Integer resetPin) {
    return SettingChecks.gpio(dialect, powerPin, resetPin);
  }
}
