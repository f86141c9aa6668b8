package io.twinpath.dongle;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.RawSettings;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.config.SettingValues;
import io.twinpath.core.config.ValueParser;
import io.twinpath.core.config.Values;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.secondary.InboundConfig;
import io.twinpath.secondary.SecondarySettings.PathKind;
import io.twinpath.secondary.SettingsTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
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
  private static final ValueParser<Integer> LISTEN_PORT =
      ValueParser.of(
          "use a TCP port, 0 for any free port, or off (0-65535)",
          s -> {
            if (s.equalsIgnoreCase("off")) {
              return -1;
            }
            int n = Integer.parseInt(s);
            if (n < 0 || n > 65535) {
              throw new IllegalArgumentException("out of range");
            }
            return n;
          });

  static final Setting<InetAddress> BROKER_ADDRESS =
      Setting.of("broker.address", Values.ipAddress(), "address the embedded broker listens on")
          .withDefault("127.0.0.1");
  static final Setting<Integer> BROKER_PORT =
      Setting.of(
              "broker.port", LISTEN_PORT, "plain MQTT port of the embedded broker (off to disable)")
          .withDefault("1883");
  static final Setting<Integer> BROKER_TLS_PORT =
      Setting.of("broker.tls.port", LISTEN_PORT, "TLS port of the embedded broker, e.g. 8883")
          .withDefault("off");
  static final Setting<String> BROKER_TLS_KEYSTORE =
      Setting.of(
          "broker.tls.keystore",
          Values.text(),
          "PKCS12/JKS key store with the embedded broker's certificate");
  static final Setting<String> BROKER_TLS_KEYSTORE_PASSWORD =
      Setting.of("broker.tls.keystore-password", Values.text(), "its password").asSecret();
  static final Setting<Long> BROKER_MAX_MESSAGE_SIZE =
      Setting.of(
              "broker.max-message-size",
              Values.size(8 << 10, 256L << 20),
              "largest MQTT message the embedded broker accepts")
          .withDefault("256KB");

  /**
   * Every setting of the file, in documentation order: the secondary's table (with this device's
   * defaults) and the embedded broker's.
   */
  public static final List<Setting<?>> SETTINGS = settings();

  /** Every key, in documentation order, with its default ("" = unset) and meaning. */
  public static final Map<String, String[]> KEYS = keys();

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

  private DongleConfig(Reader r, @Nullable Path source) {
    this.source = source;
    device = deviceId(r, "device.id");
    peers = deviceList(r, "peers");
    for (DeviceId p : peers) {
      if (p.equals(device)) {
        throw r.reject("peers", "list the paired hosts, not this device (" + device + ")");
      }
    }
    String orderValue = r.get("device.order");
    if (orderValue.isEmpty()) {
      List<DeviceId> o = new ArrayList<>(peers);
      o.add(device);
      order = List.copyOf(o);
    } else {
      order = deviceList(r, "device.order");
      Set<DeviceId> expected = new TreeSet<>(peers);
      expected.add(device);
      if (!new TreeSet<>(order).equals(expected) || order.size() != expected.size()) {
        throw r.reject(
            "device.order",
            "list each of " + expected + " exactly once, in the order devices take turns");
      }
    }
    dataDir = path(r, "data.dir");
    storageBudget = r.value(SettingsTable.STORAGE_BUDGET);
    takeoverDelay = r.value(SettingsTable.TAKEOVER_DELAY);
    broker = broker(r);
    modem = modem(r);
    path = pathKind(r, modem);
    String bind = r.get("path.bind-address");
    if (path == PathKind.INTERFACE) {
      if (bind.isEmpty()) {
        throw r.reject(
            "path.bind-address",
            "path = interface needs the local IP address of the cellular interface,"
                + " e.g. path.bind-address = 10.64.12.7 (see 'ip -brief address')");
      }
      bindAddress = r.value(SettingsTable.PATH_BIND_ADDRESS);
    } else {
      if (!bind.isEmpty()) {
        throw r.reject("path.bind-address", "set it only together with path = interface");
      }
      bindAddress = null;
    }
    smtp = smtp(r, path);
    sms = sms(r, modem);
    inbound = inbound(r, storageBudget);
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
    return new DongleConfig(new Reader(values, Map.of(), "", env, null), null);
  }

  /** Builds from {@code --set key=value} overrides alone (no file); errors name {@code --set}. */
  public static DongleConfig fromOverrides(Map<String, String> overrides, Map<String, String> env) {
    return new DongleConfig(new Reader(overrides, Map.of(), "--set", env, null), null);
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
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      String at = file + ":" + (i + 1);
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new SettingException(
                "line", line, "write one setting a line as key = value (a # line is a comment)")
            .at(at);
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (values.containsKey(key)) {
        throw new SettingException(
                key,
                value,
                "the key is set twice (lines "
                    + Objects.requireNonNull(sources.get(key), key)
                        .substring(file.toString().length() + 1)
                    + " and "
                    + (i + 1)
                    + "); keep one")
            .at(at);
      }
      values.put(key, value);
      sources.put(key, at);
    }
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      values.put(o.getKey(), o.getValue());
      sources.put(o.getKey(), "--set");
    }
    return new DongleConfig(
        new Reader(values, sources, file.toString(), env, file.toAbsolutePath().getParent()), file);
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

  private static Broker broker(Reader r) {
    String spec = r.get("broker");
    String username = emptyToNull(r.get("broker.username"));
    Secret password = r.secret("broker.password");
    if (password != null && username == null) {
      throw r.reject("broker.username", "broker.password is set, so a user name is needed too");
    }
    int maxMessage = (int) (long) r.value(BROKER_MAX_MESSAGE_SIZE);
    Path truststore = optionalPath(r, "broker.tls.truststore");
    Secret truststorePassword = r.secret("broker.tls.truststore-password");
    if ("embedded".equalsIgnoreCase(spec)) {
      InetAddress address = r.value(BROKER_ADDRESS);
      int port = r.value(BROKER_PORT);
      int tlsPort = r.value(BROKER_TLS_PORT);
      Path keystore = optionalPath(r, "broker.tls.keystore");
      Secret keystorePassword = r.secret("broker.tls.keystore-password");
      if (tlsPort >= 0 && keystore == null) {
        throw r.reject(
            "broker.tls.keystore",
            "broker.tls.port is set, so name a PKCS12 or JKS key store holding the broker's"
                + " certificate and key");
      }
      if (keystore != null && tlsPort < 0) {
        throw r.reject(
            "broker.tls.port", "broker.tls.keystore is set, so give the TLS port, e.g. 8883");
      }
      if (keystore != null && !Files.isReadable(keystore)) {
        throw r.reject("broker.tls.keystore", "name a readable key store file");
      }
      if (keystore != null && keystorePassword == null) {
        throw r.reject("broker.tls.keystore-password", "the key store needs its password");
      }
      if (port < 0 && tlsPort < 0) {
        throw new SettingException(
                "broker.port", "off", "keep the plain port or set broker.tls.port; one must listen")
            .at(r.source("broker.port"));
      }
      String host = address.getHostAddress();
      if (address.isAnyLocalAddress()) {
        host = "127.0.0.1";
      } else if (host.contains(":")) {
        host = "[" + host + "]";
      }
      String url = port >= 0 ? "tcp://" + host + ":" + port : "ssl://" + host + ":" + tlsPort;
      return new Broker(
          BrokerMode.EMBEDDED,
          url,
          address,
          port,
          tlsPort,
          keystore,
          keystorePassword,
          truststore,
          truststorePassword,
          username,
          password,
          maxMessage);
    }
    String accepted =
        "use embedded, or an external broker's URL like tcp://192.168.7.1:1883 or"
            + " ssl://broker.example.org:8883";
    URI uri;
    try {
      uri = new URI(spec);
    } catch (URISyntaxException e) {
      throw r.reject("broker", accepted);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("tcp") || scheme.equals("ssl"))
        || uri.getHost() == null
        || uri.getPort() < 1
        || (uri.getPath() != null && !uri.getPath().isEmpty())
        || uri.getUserInfo() != null) {
      throw r.reject("broker", accepted);
    }
    for (String embeddedOnly :
        List.of("broker.port", "broker.tls.port", "broker.tls.keystore", "broker.address")) {
      if (r.isSet(embeddedOnly)) {
        throw r.reject(embeddedOnly, "it applies only when broker = embedded");
      }
    }
    return new Broker(
        BrokerMode.EXTERNAL,
        spec,
        InetAddress.getLoopbackAddress(),
        -1,
        -1,
        null,
        null,
        truststore,
        truststorePassword,
        username,
        password,
        maxMessage);
  }

  private static Modem modem(Reader r) {
    String port = emptyToNull(r.get("modem.port"));
    ModemDialect dialect = r.value(SettingsTable.MODEM_DIALECT);
    int baud = r.value(SettingsTable.MODEM_BAUD);
    String apn = r.find(SettingsTable.MODEM_APN).orElse("");
    Secret pin = r.secret("modem.pin");
    if (pin != null) {
      r.check(SettingsTable.MODEM_PIN, pin);
    }
    OptionalInt power = gpio(r, "gpio.power-pin");
    OptionalInt reset = gpio(r, "gpio.reset-pin");
    if (power.isPresent() && reset.isPresent() && power.getAsInt() == reset.getAsInt()) {
      throw r.reject("gpio.reset-pin", "use a different pin than gpio.power-pin");
    }
    if (reset.isPresent() && power.isEmpty()) {
      throw r.reject(
          "gpio.reset-pin",
          "set gpio.power-pin too (the modem's power key line, needed to switch it back on)");
    }
    Duration backoff = r.value(SettingsTable.MODEM_RECOVERY_BACKOFF);
    Duration backoffMax = r.value(SettingsTable.MODEM_RECOVERY_BACKOFF_MAX);
    if (backoffMax.compareTo(backoff) < 0) {
      throw r.reject(
          "modem.recovery-backoff-max",
          "use at least modem.recovery-backoff (" + r.get("modem.recovery-backoff") + ")");
    }
    return new Modem(
        port,
        dialect,
        baud,
        apn,
        emptyToNull(r.get("modem.apn-user")),
        r.secret("modem.apn-password"),
        pin,
        power,
        reset,
        r.value(SettingsTable.MODEM_POLL),
        r.value(SettingsTable.MODEM_RECOVERY_AFTER),
        backoff,
        backoffMax);
  }

  private static PathKind pathKind(Reader r, Modem modem) {
    PathKind kind =
        r.find(SettingsTable.PATH).orElse(modem.configured() ? PathKind.MODEM : PathKind.NONE);
    if (kind == PathKind.MODEM && !modem.configured()) {
      throw r.reject("modem.port", "path = modem needs the modem's AT port, e.g. /dev/ttyUSB2");
    }
    return kind;
  }

  private static Smtp smtp(Reader r, PathKind path) {
    String host = r.find(SettingsTable.SMTP_HOST).orElse(null);
    if (host == null && path != PathKind.NONE) {
      throw r.reject(
          "smtp.host",
          "path = "
              + path.name().toLowerCase(Locale.ROOT)
              + " sends mail, so name the SMTP submission server, e.g. smtp.example.org");
    }
    TlsMode tls = r.value(SettingsTable.SMTP_TLS);
    int port =
        r.find(SettingsTable.SMTP_PORT)
            .orElse(tls == TlsMode.IMPLICIT ? 465 : tls == TlsMode.STARTTLS ? 587 : 25);
    String username = emptyToNull(r.get("smtp.username"));
    Secret password = r.secret("smtp.password");
    if (password != null && username == null) {
      throw r.reject(
          "smtp.username", "smtp.password is set, so the account's user name is needed too");
    }
    Duration timeout = r.value(SettingsTable.SMTP_TIMEOUT);
    String ehlo = r.find(SettingsTable.SMTP_EHLO).orElse(null);
    Path truststore = optionalPath(r, "smtp.truststore");
    if (truststore != null && !Files.isReadable(truststore)) {
      throw r.reject("smtp.truststore", "name a readable PKCS12 or JKS trust store");
    }
    return new Smtp(
        host,
        port,
        tls,
        username,
        password,
        timeout,
        ehlo,
        truststore,
        r.secret("smtp.truststore-password"));
  }

  private static @Nullable InboundConfig inbound(Reader r, long storageBudget) {
    try {
      InboundConfig.Builder b = InboundConfig.builder(r.get("inbound.protocol"));
      if (b == null) {
        for (String k : KEYS.keySet()) {
          if (k.startsWith("inbound.") && !k.equals("inbound.protocol") && r.isSet(k)) {
            throw r.reject(k, "set it only together with inbound.protocol = imap or pop3");
          }
        }
        return null;
      }
      Secret password = r.secret("inbound.password");
      Secret truststorePassword = r.secret("inbound.truststore-password");
      return b.tls(r.get("inbound.tls"))
          .host(r.get("inbound.host"))
          .port(r.find(SettingsTable.INBOUND_PORT).orElse(null))
          .username(r.get("inbound.username"))
          .password(() -> password == null ? new char[0] : password.chars())
          .folder(r.get("inbound.folder"))
          .delete(r.value(SettingsTable.INBOUND_DELETE))
          .truststore(
              optionalPath(r, "inbound.truststore"),
              () -> truststorePassword == null ? new char[0] : truststorePassword.chars())
          .policy(r.get("inbound.policy"))
          .poll(r.value(SettingsTable.INBOUND_POLL))
          .budget(r.find(SettingsTable.INBOUND_BUDGET).orElse(null))
          .build(storageBudget);
    } catch (SettingException e) {
      throw e.source().isEmpty() ? r.reject(e.key(), e.accepted()) : e;
    }
  }

  private static Sms sms(Reader r, Modem modem) {
    List<String> numbers = r.find(SettingsTable.SMS_NUMBERS).orElse(List.of());
    if (!numbers.isEmpty() && !modem.configured()) {
      throw r.reject("sms.numbers", "SMS notices go out through the modem: set modem.port as well");
    }
    return new Sms(List.copyOf(new LinkedHashSet<>(numbers)), r.value(SettingsTable.SMS_DELAY));
  }

  private static DeviceId deviceId(Reader r, String key) {
    return r.value(SettingsTable.DEVICE_ID);
  }

  private static List<DeviceId> deviceList(Reader r, String key) {
    Setting<List<DeviceId>> setting =
        key.equals("peers") ? SettingsTable.PEERS : SettingsTable.DEVICE_ORDER;
    List<DeviceId> out = new ArrayList<>();
    for (DeviceId id : r.value(setting)) {
      if (out.contains(id)) {
        throw r.reject(key, "name each device once ('" + id + "' is repeated)");
      }
      out.add(id);
    }
    return Collections.unmodifiableList(out);
  }

  private static OptionalInt gpio(Reader r, String key) {
    Optional<Integer> pin =
        r.find(
            key.equals("gpio.power-pin")
                ? SettingsTable.GPIO_POWER_PIN
                : SettingsTable.GPIO_RESET_PIN);
    return pin.isPresent() ? OptionalInt.of(pin.get()) : OptionalInt.empty();
  }

  private static Path path(Reader r, String key) {
    Path p = optionalPath(r, key);
    if (p == null) {
      throw r.reject(key, "name a directory");
    }
    return p;
  }

  private static @Nullable Path optionalPath(Reader r, String key) {
    String v = r.get(key);
    if (v.isEmpty()) {
      return null;
    }
    try {
      return r.resolve(v);
    } catch (InvalidPathException e) {
      throw r.reject(key, "name a file system path");
    }
  }

  private static @Nullable String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  /** The values by key with where each was set, read once through {@link #SETTINGS}. */
  private static final class Reader {
    private final Map<String, String> values;
    private final RawSettings raw;
    private final SettingValues read;
    private final Map<String, String> env;
    private final @Nullable Path base;

    Reader(
        Map<String, ?> values,
        Map<String, String> sources,
        String fallbackSource,
        Map<String, String> env,
        @Nullable Path base) {
      Map<String, String> v = new LinkedHashMap<>();
      RawSettings.Builder b = RawSettings.builder(fallbackSource);
      for (Map.Entry<String, ?> e : values.entrySet()) {
        String key = e.getKey();
        String text = e.getValue() == null ? "" : String.valueOf(e.getValue()).strip();
        String source = sources.getOrDefault(key, fallbackSource);
        if (!KEYS.containsKey(key)) {
          throw new SettingException(
                  key,
                  text,
                  "the key is unknown"
                      + suggestion(key)
                      + "; the keys are listed in docs/dongle.md")
              .at(source);
        }
        v.put(key, text);
        b.put(key, text, source);
      }
      this.values = v;
      this.raw = b.build();
      this.env = env;
      this.base = base;
      this.read = SettingValues.read(raw, SETTINGS);
    }

    <T> T value(Setting<T> s) {
      return read.require(s);
    }

    <T> Optional<T> find(Setting<T> s) {
      return read.get(s);
    }

    String source(String key) {
      return raw.source(key);
    }

    /** A failure about {@code key} naming its value (hidden for a secret) and where it was set. */
    SettingException reject(String key, String accepted) {
      Optional<Setting<?>> s = SETTINGS.stream().filter(x -> x.key().equals(key)).findFirst();
      return s.isPresent() ? raw.reject(s.get(), accepted) : raw.reject(key, accepted);
    }

    /** Checks a secret against its setting's syntax; the value is never shown. */
    void check(Setting<String> setting, Secret secret) {
      try {
        setting.parse(new String(secret.chars()));
      } catch (SettingException e) {
        String key = setting.key();
        throw e.at(raw.isSet(key) ? raw.source(key) : raw.source(key + "-file"));
      }
    }

    boolean isSet(String key) {
      return !values.getOrDefault(key, "").isEmpty();
    }

    String raw(String key) {
      return values.getOrDefault(key, "");
    }

    String get(String key) {
      String v = values.getOrDefault(key, "");
      if (!v.isEmpty()) {
        return v;
      }
      if (key.equals("data.dir")) {
        return defaultDataDir();
      }
      String[] k = KEYS.get(key);
      return k == null ? "" : k[0];
    }

    /** A secret from {@code key} or from the file named by {@code key-file}. */
    @Nullable Secret secret(String key) {
      String inline = values.getOrDefault(key, "");
      String file = values.getOrDefault(key + "-file", "");
      if (!inline.isEmpty() && !file.isEmpty()) {
        throw reject(key + "-file", "set " + key + " or " + key + "-file, not both");
      }
      if (!file.isEmpty()) {
        Path p = resolve(file);
        try {
          String s = Files.readString(p, StandardCharsets.UTF_8);
          s = s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s;
          s = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
          return s.isEmpty() ? null : Secret.of(s);
        } catch (IOException | RuntimeException e) {
          throw reject(key + "-file", "name a readable file holding the secret on its first line");
        }
      }
      return inline.isEmpty() ? null : Secret.of(inline);
    }

    Path resolve(String v) {
      Path p = Path.of(v.startsWith("~/") ? home() + v.substring(1) : v);
      return p.isAbsolute() || base == null ? p : base.resolve(p);
    }

    private String home() {
      return env.getOrDefault("HOME", System.getProperty("user.home", "/"));
    }

    private String defaultDataDir() {
      String state = env.get("STATE_DIRECTORY");
      if (state != null && !state.isEmpty()) {
        return state.split(":")[0];
      }
      String xdg = env.get("XDG_STATE_HOME");
      if (xdg != null && !xdg.isEmpty()) {
        return Path.of(xdg, "twinpath-dongle").toString();
      }
      return Path.of(home(), ".local", "state", "twinpath-dongle").toString();
    }
  }

  private static String suggestion(String key) {
    String best = null;
    int bestDistance = 4;
    for (String k : KEYS.keySet()) {
      int d = distance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static List<Setting<?>> settings() {
    List<Setting<?>> out = new ArrayList<>();
    for (Setting<?> s : SettingsTable.ALL) {
      if (s.key().equals(SettingsTable.PEERS_PUBLIC_KEY.key())) {
        continue; // the dongle pairs by command
      }
      if (s.key().equals(SettingsTable.DEVICE_ID.key())) {
        out.add(SettingsTable.DEVICE_ID.withDefault("dongle"));
      } else if (s.key().equals(SettingsTable.BROKER.key())) {
        out.add(SettingsTable.BROKER.withDefault("embedded"));
        out.addAll(
            List.of(
                BROKER_ADDRESS,
                BROKER_PORT,
                BROKER_TLS_PORT,
                BROKER_TLS_KEYSTORE,
                BROKER_TLS_KEYSTORE_PASSWORD,
                BROKER_MAX_MESSAGE_SIZE));
      } else {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /** The settings' keys with their defaults and meaning; each secret also as {@code key-file}. */
  private static Map<String, String[]> keys() {
    Map<String, String[]> k = new LinkedHashMap<>();
    for (Setting<?> s : SETTINGS) {
      k.put(s.key(), new String[] {s.defaultText().orElse(""), s.doc()});
      if (s.isSecret()) {
        k.put(s.key() + "-file", new String[] {"", "file holding it"});
      }
    }
    return Collections.unmodifiableMap(k);
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
