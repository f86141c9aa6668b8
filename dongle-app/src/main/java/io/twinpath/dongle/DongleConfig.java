package io.twinpath.dongle;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import io.twinpath.dongle.internal.BrokerSection;
import io.twinpath.dongle.internal.ConfigChecks;
import io.twinpath.dongle.internal.ConfigFile;
import io.twinpath.dongle.internal.ConfigReader;
import io.twinpath.dongle.internal.DongleKeys;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.secondary.InboundConfig;
import io.twinpath.secondary.SecondarySettings.PathKind;
import io.twinpath.secondary.SettingsTable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The secondary's whole configuration: immutable and validated in one place. Built from {@code key
 * = value} lines ({@link #load(Path)}) or from a map with the same keys ({@link #fromMap}). The
 * values are read through the secondary's {@link SettingsTable} plus the embedded broker's settings
 * ({@link #SETTINGS}); every bad value fails with a {@link SettingException} naming where it was
 * set ({@code dongle.conf:12}, {@code --set}), the key, the value and what is accepted. {@link
 * #KEYS} lists every key with its default.
 */
public final class DongleConfig {
  /**
   * Every setting of the file, in documentation order: the secondary's table (with this device's
   * defaults) and the embedded broker's.
   */
  public static final List<Setting<?>> SETTINGS = DongleKeys.SETTINGS;

  /** Every key, in documentation order, with its default ("" = unset) and meaning. */
  public static final Map<String, String[]> KEYS = DongleKeys.KEYS;

  /** Where the broker is: embedded in this process, or an external one by URL. */
  public enum BrokerMode {
    EMBEDDED,
    EXTERNAL
  }

  /**
   * The MQTT broker.
   *
   * @param url the URL clients use (for embedded: the plain listener, or the TLS one when the plain
   *     listener is off)
   * @param listenPort plain listener of the embedded broker, -1 when off, 0 for any free port
   * @param tlsPort TLS listener of the embedded broker, -1 when off, 0 for any free port
   */
  public record Broker(
      BrokerMode mode,
      String url,
      InetAddress listenAddress,
      int listenPort,
      int tlsPort,
      @Nullable Path keystore,
      @Nullable Secret keystorePassword,
      @Nullable Path truststore,
      @Nullable Secret truststorePassword,
      @Nullable String username,
      @Nullable Secret password,
      int maxMessageSize) {}

  /** The modem and its board wiring. */
  public record Modem(
      @Nullable String port,
      ModemDialect dialect,
      int baud,
      String apn,
      @Nullable String apnUser,
      @Nullable Secret apnPassword,
      @Nullable Secret pin,
      OptionalInt powerPin,
      OptionalInt resetPin,
      Duration poll,
      int recoveryAfter,
      Duration recoveryBackoff,
      Duration recoveryBackoffMax) {
    public boolean configured() {
      return port != null;
    }
  }

  /** The SMTP submission account used over the cellular path. */
  public record Smtp(
      @Nullable String host,
      int port,
      TlsMode tls,
      @Nullable String username,
      @Nullable Secret password,
      Duration timeout,
      @Nullable String ehlo,
      @Nullable Path truststore,
      @Nullable Secret truststorePassword) {}

  /** SMS notices for mail stuck while cellular data is down. */
  public record Sms(List<String> numbers, Duration delay) {
    public boolean enabled() {
      return !numbers.isEmpty();
    }
  }

  private final DeviceId device;
  private final List<DeviceId> peers;
  private final List<DeviceId> order;
  private final Path dataDir;
  private final long storageBudget;
  private final Duration takeoverDelay;
  private final Broker broker;
  private final Modem modem;
  private final PathKind path;
  private final @Nullable InetAddress bindAddress;
  private final Smtp smtp;
  private final Sms sms;
  private final @Nullable InboundConfig inbound;
  private final @Nullable Path source;

  private DongleConfig(ConfigReader r, @Nullable Path source) {
    this.source = source;
    device = ConfigChecks.deviceId(r);
    peers = ConfigChecks.peers(r, device);
    order = ConfigChecks.order(r, device, peers);
    dataDir = ConfigChecks.path(r, "data.dir");
    storageBudget = r.value(SettingsTable.STORAGE_BUDGET);
    takeoverDelay = r.value(SettingsTable.TAKEOVER_DELAY);
    broker = BrokerSection.broker(r);
    modem = ConfigChecks.modem(r);
    path = ConfigChecks.pathKind(r, modem);
    bindAddress = ConfigChecks.bindAddress(r, path);
    smtp = ConfigChecks.smtp(r, path);
    sms = ConfigChecks.sms(r, modem);
    inbound = ConfigChecks.inbound(r, storageBudget);
  }

  /** Defaults for everything: an embedded broker on 127.0.0.1:1883, no modem, no path. */
  public static DongleConfig defaults(Map<String, String> env) {
    return fromMap(Map.of(), env);
  }

  /**
   * Builds from {@code key -> value}; unknown keys are errors. Empty values mean "default".
   *
   * @param env environment variables consulted for default directories ({@code STATE_DIRECTORY},
   *     {@code XDG_STATE_HOME}, {@code HOME})
   */
  public static DongleConfig fromMap(Map<String, String> values, Map<String, String> env) {
    return new DongleConfig(new ConfigReader(values, Map.of(), "", env, null), null);
  }

  /** Builds from {@code --set key=value} overrides alone (no file); errors name {@code --set}. */
  public static DongleConfig fromOverrides(Map<String, String> overrides, Map<String, String> env) {
    return new DongleConfig(new ConfigReader(overrides, Map.of(), "--set", env, null), null);
  }

  /** Reads a config file of {@code key = value} lines; {@code #} starts a comment line. */
  public static DongleConfig load(Path file, Map<String, String> env) throws IOException {
    return load(file, Map.of(), env);
  }

  /**
   * Reads a config file, then applies {@code overrides} (same keys; they win over the file), e.g.
   * from the command line.
   */
  public static DongleConfig load(Path file, Map<String, String> overrides, Map<String, String> env)
      throws IOException {
    return new DongleConfig(ConfigFile.read(file, overrides, env), file);
  }

  /**
   * The config file used when none is named: {@code $XDG_CONFIG_HOME/twinpath/dongle.conf} (or
   * {@code ~/.config/...}) if it exists, else {@code /etc/twinpath/dongle.conf} if it exists.
   */
  public static Optional<Path> defaultFile(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    String home = env.getOrDefault("HOME", System.getProperty("user.home", "/"));
    Path user =
        (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(home, ".config"))
            .resolve("twinpath")
            .resolve("dongle.conf");
    if (Files.isRegularFile(user)) {
      return Optional.of(user);
    }
    Path system = Path.of("/etc/twinpath/dongle.conf");
    return Files.isRegularFile(system) ? Optional.of(system) : Optional.empty();
  }

  public DeviceId device() {
    return device;
  }

  /** The paired hosts. */
  public List<DeviceId> peers() {
    return peers;
  }

  /** All devices in turn order. */
  public List<DeviceId> order() {
    return order;
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

  public Broker broker() {
    return broker;
  }

  public Modem modem() {
    return modem;
  }

  public PathKind path() {
    return path;
  }

  /** The cellular interface's local address when {@link #path()} is {@code INTERFACE}. */
  public @Nullable InetAddress bindAddress() {
    return bindAddress;
  }

  public Smtp smtp() {
    return smtp;
  }

  /** Inbound mail this device fetches and holds for the host; empty when it is off. */
  public Optional<InboundConfig> inbound() {
    return Optional.ofNullable(inbound);
  }

  public Sms sms() {
    return sms;
  }

  /** The file this was read from, if any. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  @Override
  public String toString() {
    return "DongleConfig{device="
        + device
        + ", peers="
        + peers
        + ", broker="
        + broker.url()
        + ", path="
        + path
        + ", modem="
        + (modem.port() == null ? "none" : modem.port() + " " + modem.dialect())
        + ", smtp="
        + smtp.host()
        + ":"
        + smtp.port()
        + ", sms="
        + sms.numbers().size()
        + " numbers}";
  }
}
