package io.twinpath.dongle;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import io.twinpath.dongle.internal.Values;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.secondary.InboundConfig;
import io.twinpath.secondary.SecondarySettings.PathKind;
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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The secondary's whole configuration: immutable and validated in one place. Built from {@code key
 * = value} lines ({@link #load(Path)}) or from a map with the same keys ({@link #fromMap}), e.g.
 * the properties a Kura configuration form holds. Every bad value fails with a {@link
 * ConfigException} naming the key, the value and what is accepted. {@link #KEYS} lists every key
 * with its default.
 */
public final class DongleConfig {
  /** Every key, in documentation order, with its default ("" = unset) and meaning. */
  public static final Map<String, String[]> KEYS = keys();

  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{3,15}");

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
        throw new ConfigException(
            "peers", r.raw("peers"), "list the paired hosts, not this device (" + device + ")");
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
        throw new ConfigException(
            "device.order",
            orderValue,
            "list each of " + expected + " exactly once, in the order devices take turns");
      }
    }
    dataDir = path(r, "data.dir");
    storageBudget = Values.size("storage.budget", r.get("storage.budget"), 1L << 20, 1L << 40);
    takeoverDelay =
        Values.duration(
            "takeover.delay", r.get("takeover.delay"), Duration.ZERO, Duration.ofHours(24));
    broker = broker(r);
    modem = modem(r);
    path = pathKind(r, modem);
    String bind = r.get("path.bind-address");
    if (path == PathKind.INTERFACE) {
      if (bind.isEmpty()) {
        throw new ConfigException(
            "path.bind-address",
            null,
            "path = interface needs the local IP address of the cellular interface,"
                + " e.g. path.bind-address = 10.64.12.7 (see 'ip -brief address')");
      }
      bindAddress = Values.ipAddress("path.bind-address", bind);
    } else {
      if (!bind.isEmpty()) {
        throw new ConfigException(
            "path.bind-address", bind, "set it only together with path = interface");
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
    return new DongleConfig(new Reader(values, env, null), null);
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
    Map<String, Integer> lineOf = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            file + " line " + (i + 1),
            line,
            "write one setting a line as key = value (a # line is a comment)");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (values.containsKey(key)) {
        throw new ConfigException(
            key,
            value,
            "the key is set twice in "
                + file
                + " (lines "
                + lineOf.get(key)
                + " and "
                + (i + 1)
                + "); keep one");
      }
      values.put(key, value);
      lineOf.put(key, i + 1);
    }
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      values.put(o.getKey(), o.getValue());
      lineOf.remove(o.getKey());
    }
    try {
      return new DongleConfig(new Reader(values, env, file.toAbsolutePath().getParent()), file);
    } catch (ConfigException e) {
      Integer line = lineOf.get(e.key());
      throw new ConfigException(
          e.key(),
          values.get(e.key()),
          accepted(e) + " (" + file + (line == null ? "" : " line " + line) + ")");
    }
  }

  private static String accepted(ConfigException e) {
    String m = e.getMessage();
    int i = m.indexOf(" is not accepted: ");
    if (i >= 0) {
      return m.substring(i + " is not accepted: ".length());
    }
    i = m.indexOf(" is missing: ");
    return i >= 0 ? m.substring(i + " is missing: ".length()) : m;
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
      throw new ConfigException(
          "broker.username", null, "broker.password is set, so a user name is needed too");
    }
    int maxMessage =
        (int)
            Values.size(
                "broker.max-message-size", r.get("broker.max-message-size"), 8 << 10, 256L << 20);
    Path truststore = optionalPath(r, "broker.tls.truststore");
    Secret truststorePassword = r.secret("broker.tls.truststore-password");
    if ("embedded".equalsIgnoreCase(spec)) {
      InetAddress address = Values.ipAddress("broker.address", r.get("broker.address"));
      int port = port(r, "broker.port", true);
      int tlsPort = port(r, "broker.tls.port", true);
      Path keystore = optionalPath(r, "broker.tls.keystore");
      Secret keystorePassword = r.secret("broker.tls.keystore-password");
      if (tlsPort >= 0 && keystore == null) {
        throw new ConfigException(
            "broker.tls.keystore",
            null,
            "broker.tls.port is set, so name a PKCS12 or JKS key store holding the broker's"
                + " certificate and key");
      }
      if (keystore != null && tlsPort < 0) {
        throw new ConfigException(
            "broker.tls.port",
            "off",
            "broker.tls.keystore is set, so give the TLS port, e.g. 8883");
      }
      if (keystore != null && !Files.isReadable(keystore)) {
        throw new ConfigException(
            "broker.tls.keystore", keystore.toString(), "name a readable key store file");
      }
      if (keystore != null && keystorePassword == null) {
        throw new ConfigException(
            "broker.tls.keystore-password", null, "the key store needs its password");
      }
      if (port < 0 && tlsPort < 0) {
        throw new ConfigException(
            "broker.port", "off", "keep the plain port or set broker.tls.port; one must listen");
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
      throw new ConfigException("broker", spec, accepted);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("tcp") || scheme.equals("ssl"))
        || uri.getHost() == null
        || uri.getPort() < 1
        || (uri.getPath() != null && !uri.getPath().isEmpty())
        || uri.getUserInfo() != null) {
      throw new ConfigException("broker", spec, accepted);
    }
    for (String embeddedOnly :
        List.of("broker.port", "broker.tls.port", "broker.tls.keystore", "broker.address")) {
      if (r.isSet(embeddedOnly)) {
        throw new ConfigException(
            embeddedOnly, r.raw(embeddedOnly), "it applies only when broker = embedded");
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
    String dialectValue = r.get("modem.dialect");
    ModemDialect dialect;
    try {
      dialect = ModemDialect.valueOf(dialectValue.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "modem.dialect", dialectValue, "use sim7600 (SIMCom SIM7600) or ec25 (Quectel EC2x)");
    }
    int baud = Values.integer("modem.baud", r.get("modem.baud"), 1200, 4_000_000, "a baud rate");
    String apn = r.get("modem.apn");
    if (!apn.matches("[A-Za-z0-9.-]{0,62}")) {
      throw new ConfigException(
          "modem.apn", apn, "use your provider's APN, e.g. internet (letters, digits, . and -)");
    }
    Secret pin = r.secret("modem.pin");
    if (pin != null && !new String(pin.chars()).matches("[0-9]{4,8}")) {
      throw new ConfigException("modem.pin", "?", "use the SIM PIN: 4 to 8 digits");
    }
    OptionalInt power = gpio(r, "gpio.power-pin");
    OptionalInt reset = gpio(r, "gpio.reset-pin");
    if (power.isPresent() && reset.isPresent() && power.getAsInt() == reset.getAsInt()) {
      throw new ConfigException(
          "gpio.reset-pin", r.get("gpio.reset-pin"), "use a different pin than gpio.power-pin");
    }
    if (reset.isPresent() && power.isEmpty()) {
      throw new ConfigException(
          "gpio.reset-pin",
          r.get("gpio.reset-pin"),
          "set gpio.power-pin too (the modem's power key line, needed to switch it back on)");
    }
    Duration backoff =
        Values.duration(
            "modem.recovery-backoff",
            r.get("modem.recovery-backoff"),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    Duration backoffMax =
        Values.duration(
            "modem.recovery-backoff-max",
            r.get("modem.recovery-backoff-max"),
            Duration.ofSeconds(1),
            Duration.ofHours(24));
    if (backoffMax.compareTo(backoff) < 0) {
      throw new ConfigException(
          "modem.recovery-backoff-max",
          r.get("modem.recovery-backoff-max"),
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
        Values.duration(
            "modem.poll", r.get("modem.poll"), Duration.ofSeconds(1), Duration.ofMinutes(10)),
        Values.integer(
            "modem.recovery-after",
            r.get("modem.recovery-after"),
            1,
            100,
            "a number of failed health checks in a row"),
        backoff,
        backoffMax);
  }

  private static PathKind pathKind(Reader r, Modem modem) {
    String v = r.get("path");
    PathKind kind;
    if (v.isEmpty()) {
      kind = modem.configured() ? PathKind.MODEM : PathKind.NONE;
    } else {
      try {
        kind = PathKind.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "path",
            v,
            "use modem (SMTP through the modem's TCP stack), interface (a cellular network"
                + " interface, with path.bind-address) or none");
      }
    }
    if (kind == PathKind.MODEM && !modem.configured()) {
      throw new ConfigException(
          "modem.port", null, "path = modem needs the modem's AT port, e.g. /dev/ttyUSB2");
    }
    return kind;
  }

  private static Smtp smtp(Reader r, PathKind path) {
    String host = emptyToNull(r.get("smtp.host"));
    if (host != null) {
      host = Values.hostName("smtp.host", host);
    } else if (path != PathKind.NONE) {
      throw new ConfigException(
          "smtp.host",
          null,
          "path = "
              + path.name().toLowerCase(Locale.ROOT)
              + " sends mail, so name the SMTP submission server, e.g. smtp.example.org");
    }
    String tlsValue = r.get("smtp.tls");
    TlsMode tls;
    try {
      tls = TlsMode.valueOf(tlsValue.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "smtp.tls",
          tlsValue,
          "use starttls (port 587), implicit (port 465) or none (only for a trusted relay)");
    }
    String portValue = r.get("smtp.port");
    int port =
        portValue.isEmpty()
            ? (tls == TlsMode.IMPLICIT ? 465 : tls == TlsMode.STARTTLS ? 587 : 25)
            : Values.integer("smtp.port", portValue, 1, 65535, "a TCP port");
    String username = emptyToNull(r.get("smtp.username"));
    Secret password = r.secret("smtp.password");
    if (password != null && username == null) {
      throw new ConfigException(
          "smtp.username", null, "smtp.password is set, so the account's user name is needed too");
    }
    Duration timeout =
        Values.duration(
            "smtp.timeout", r.get("smtp.timeout"), Duration.ofSeconds(5), Duration.ofMinutes(30));
    String ehlo = emptyToNull(r.get("smtp.ehlo"));
    if (ehlo != null && !ehlo.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
      throw new ConfigException("smtp.ehlo", ehlo, "use a host name like dongle.example.org");
    }
    Path truststore = optionalPath(r, "smtp.truststore");
    if (truststore != null && !Files.isReadable(truststore)) {
      throw new ConfigException(
          "smtp.truststore", truststore.toString(), "name a readable PKCS12 or JKS trust store");
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
            throw new ConfigException(
                k, r.raw(k), "set it only together with inbound.protocol = imap or pop3");
          }
        }
        return null;
      }
      String portValue = r.get("inbound.port");
      String budgetValue = r.get("inbound.budget");
      Secret password = r.secret("inbound.password");
      Secret truststorePassword = r.secret("inbound.truststore-password");
      return b.tls(r.get("inbound.tls"))
          .host(r.get("inbound.host"))
          .port(
              portValue.isEmpty()
                  ? null
                  : Values.integer("inbound.port", portValue, 1, 65535, "a TCP port"))
          .username(r.get("inbound.username"))
          .password(() -> password == null ? new char[0] : password.chars())
          .folder(r.get("inbound.folder"))
          .delete(Values.bool("inbound.delete", r.get("inbound.delete")))
          .truststore(
              optionalPath(r, "inbound.truststore"),
              () -> truststorePassword == null ? new char[0] : truststorePassword.chars())
          .policy(r.get("inbound.policy"))
          .poll(
              Values.duration(
                  "inbound.poll",
                  r.get("inbound.poll"),
                  Duration.ofSeconds(10),
                  Duration.ofHours(1)))
          .budget(
              budgetValue.isEmpty()
                  ? null
                  : Values.size("inbound.budget", budgetValue, 1L << 20, storageBudget))
          .build(storageBudget);
    } catch (SettingException e) {
      String v = e.value();
      throw new ConfigException(e.key(), v == null ? null : r.raw(e.key()), e.accepted());
    }
  }

  private static Sms sms(Reader r, Modem modem) {
    String v = r.get("sms.numbers");
    List<String> numbers = new ArrayList<>();
    if (!v.isBlank()) {
      for (String n : v.split(",")) {
        String t = n.strip().replace(" ", "");
        if (!PHONE.matcher(t).matches()) {
          throw new ConfigException(
              "sms.numbers",
              v,
              "use phone numbers in international form separated by commas, e.g."
                  + " +4915112345678, +447700900123 ('"
                  + n.strip()
                  + "' is not one)");
        }
        numbers.add(t);
      }
    }
    if (!numbers.isEmpty() && !modem.configured()) {
      throw new ConfigException(
          "sms.numbers", v, "SMS notices go out through the modem: set modem.port as well");
    }
    Duration delay =
        Values.duration("sms.delay", r.get("sms.delay"), Duration.ofMinutes(1), Duration.ofDays(7));
    return new Sms(List.copyOf(new LinkedHashSet<>(numbers)), delay);
  }

  private static DeviceId deviceId(Reader r, String key) {
    String v = r.get(key);
    try {
      return DeviceId.of(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          key, v, "use 1-64 lower-case letters, digits and inner dashes, e.g. dongle or dongle-1");
    }
  }

  private static List<DeviceId> deviceList(Reader r, String key) {
    String v = r.get(key);
    List<DeviceId> out = new ArrayList<>();
    for (String s : v.split(",")) {
      String t = s.strip();
      try {
        DeviceId id = DeviceId.of(t);
        if (out.contains(id)) {
          throw new ConfigException(key, v, "name each device once ('" + t + "' is repeated)");
        }
        out.add(id);
      } catch (ConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            key,
            v,
            "list device ids separated by commas, e.g. laptop or laptop, desktop; each id is 1-64"
                + " lower-case letters, digits and inner dashes");
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static int port(Reader r, String key, boolean offAllowed) {
    String v = r.get(key);
    if (offAllowed && (v.equalsIgnoreCase("off") || v.isEmpty())) {
      return -1;
    }
    return Values.integer(
        key, v, 0, 65535, "a TCP port" + (offAllowed ? ", 0 for any free port, or off" : ""));
  }

  private static OptionalInt gpio(Reader r, String key) {
    String v = r.get(key);
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Values.integer(key, v, 0, 27, "a BCM GPIO number"));
  }

  private static Path path(Reader r, String key) {
    Path p = optionalPath(r, key);
    if (p == null) {
      throw new ConfigException(key, null, "name a directory");
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
      throw new ConfigException(key, v, "name a file system path");
    }
  }

  private static @Nullable String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  /** Tracks which keys were read so unknown ones fail. */
  private static final class Reader {
    private final Map<String, String> values;
    private final Map<String, String> env;
    private final @Nullable Path base;

    Reader(Map<String, ?> values, Map<String, String> env, @Nullable Path base) {
      Map<String, String> v = new LinkedHashMap<>();
      for (Map.Entry<String, ?> e : values.entrySet()) {
        if (!KEYS.containsKey(e.getKey())) {
          throw new ConfigException(
              e.getKey(),
              String.valueOf(e.getValue()),
              "the key is unknown"
                  + suggestion(e.getKey())
                  + "; the keys are listed in"
                  + " docs/dongle.md");
        }
        v.put(e.getKey(), e.getValue() == null ? "" : String.valueOf(e.getValue()).strip());
      }
      this.values = v;
      this.env = env;
      this.base = base;
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
      return KEYS.get(key)[0];
    }

    /** A secret from {@code key} or from the file named by {@code key-file}. */
    @Nullable Secret secret(String key) {
      String inline = values.getOrDefault(key, "");
      String file = values.getOrDefault(key + "-file", "");
      if (!inline.isEmpty() && !file.isEmpty()) {
        throw new ConfigException(
            key + "-file", file, "set " + key + " or " + key + "-file, not both");
      }
      if (!file.isEmpty()) {
        Path p = resolve(file);
        try {
          String s = Files.readString(p, StandardCharsets.UTF_8);
          s = s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s;
          s = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
          return s.isEmpty() ? null : Secret.of(s);
        } catch (IOException | RuntimeException e) {
          throw new ConfigException(
              key + "-file", file, "name a readable file holding the secret on its first line");
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

  private static Map<String, String[]> keys() {
    Map<String, String[]> k = new LinkedHashMap<>();
    k.put("device.id", new String[] {"dongle", "this device's id"});
    k.put("peers", new String[] {"laptop", "ids of the paired hosts, comma-separated"});
    k.put(
        "device.order",
        new String[] {"", "turn order of all devices (default: peers, then this device)"});
    k.put(
        "data.dir",
        new String[] {
          "", "spool, keys and state ($STATE_DIRECTORY, else $XDG_STATE_HOME/twinpath-dongle)"
        });
    k.put("storage.budget", new String[] {"256MB", "disk space the spool may use"});
    k.put(
        "takeover.delay",
        new String[] {
          "30s", "how long the host may be offline holding a turn before this device takes it"
        });
    k.put(
        "broker",
        new String[] {
          "embedded", "embedded, or an external broker URL (tcp://host:1883, ssl://host:8883)"
        });
    k.put("broker.address", new String[] {"127.0.0.1", "address the embedded broker listens on"});
    k.put(
        "broker.port",
        new String[] {"1883", "plain MQTT port of the embedded broker (off to disable)"});
    k.put("broker.tls.port", new String[] {"off", "TLS port of the embedded broker, e.g. 8883"});
    k.put(
        "broker.tls.keystore",
        new String[] {"", "PKCS12/JKS key store with the embedded broker's certificate"});
    k.put("broker.tls.keystore-password", new String[] {"", "its password"});
    k.put("broker.tls.keystore-password-file", new String[] {"", "file holding it"});
    k.put(
        "broker.tls.truststore",
        new String[] {"", "trust store for an ssl:// broker (default: the JDK's)"});
    k.put("broker.tls.truststore-password", new String[] {"", "its password"});
    k.put("broker.tls.truststore-password-file", new String[] {"", "file holding it"});
    k.put(
        "broker.username",
        new String[] {"", "MQTT user name (the embedded broker then requires it)"});
    k.put("broker.password", new String[] {"", "MQTT password"});
    k.put("broker.password-file", new String[] {"", "file holding it"});
    k.put(
        "broker.max-message-size",
        new String[] {"256KB", "largest MQTT message the embedded broker accepts"});
    k.put(
        "modem.port",
        new String[] {"", "the modem's AT port, e.g. /dev/ttyUSB2 (unset: no modem)"});
    k.put("modem.dialect", new String[] {"sim7600", "sim7600 or ec25"});
    k.put("modem.baud", new String[] {"115200", "serial speed"});
    k.put("modem.apn", new String[] {"", "your provider's APN"});
    k.put("modem.apn-user", new String[] {"", "APN user name, if the provider needs one"});
    k.put("modem.apn-password", new String[] {"", "APN password"});
    k.put("modem.apn-password-file", new String[] {"", "file holding it"});
    k.put("modem.pin", new String[] {"", "SIM PIN, if the SIM is locked"});
    k.put("modem.pin-file", new String[] {"", "file holding it"});
    k.put("modem.poll", new String[] {"30s", "how often the modem's health is checked"});
    k.put(
        "modem.recovery-after",
        new String[] {"3", "failed health checks in a row before the modem is recovered"});
    k.put(
        "modem.recovery-backoff",
        new String[] {"30s", "pause after a failed recovery, doubled after each"});
    k.put(
        "modem.recovery-backoff-max", new String[] {"30m", "the longest pause between recoveries"});
    k.put("gpio.power-pin", new String[] {"", "BCM GPIO wired to the modem's power key"});
    k.put("gpio.reset-pin", new String[] {"", "BCM GPIO wired to the modem's reset line"});
    k.put(
        "path",
        new String[] {"", "modem, interface or none (default: modem when modem.port is set)"});
    k.put(
        "path.bind-address",
        new String[] {"", "local address of the cellular interface (path = interface)"});
    k.put("smtp.host", new String[] {"", "SMTP submission server for the cellular path"});
    k.put("smtp.port", new String[] {"", "587 for starttls, 465 for implicit, 25 for none"});
    k.put("smtp.tls", new String[] {"starttls", "starttls, implicit or none"});
    k.put("smtp.username", new String[] {"", "SMTP account user name"});
    k.put("smtp.password", new String[] {"", "SMTP account password"});
    k.put("smtp.password-file", new String[] {"", "file holding it"});
    k.put("smtp.timeout", new String[] {"60s", "connect and read timeout"});
    k.put("smtp.ehlo", new String[] {"", "name sent in EHLO (default: the device id)"});
    k.put(
        "smtp.truststore",
        new String[] {"", "trust store for the SMTP server (default: the JDK's)"});
    k.put("smtp.truststore-password", new String[] {"", "its password"});
    k.put("smtp.truststore-password-file", new String[] {"", "file holding it"});
    k.put(
        "sms.numbers",
        new String[] {"", "phone numbers told by SMS about mail stuck without data"});
    k.put("sms.delay", new String[] {"15m", "how long an item waits before the SMS notice"});
    k.put("inbound.protocol", new String[] {"off", "fetch inbound mail: imap, pop3 or off"});
    k.put("inbound.tls", new String[] {"implicit", "implicit, starttls or none"});
    k.put("inbound.host", new String[] {"", "the IMAP or POP3 server"});
    k.put(
        "inbound.port",
        new String[] {"", "993 imap, 995 pop3; 143 / 110 with tls starttls or none"});
    k.put("inbound.username", new String[] {"", "the mailbox's user name"});
    k.put("inbound.password", new String[] {"", "its password"});
    k.put("inbound.password-file", new String[] {"", "file holding it"});
    k.put("inbound.folder", new String[] {"INBOX", "the IMAP folder to fetch"});
    k.put("inbound.delete", new String[] {"false", "pop3: delete a message once it is held"});
    k.put(
        "inbound.truststore",
        new String[] {"", "trust store for the mail server (default: the JDK's)"});
    k.put("inbound.truststore-password", new String[] {"", "its password"});
    k.put("inbound.truststore-password-file", new String[] {"", "file holding it"});
    k.put(
        "inbound.policy",
        new String[] {"while-host-unavailable", "always, or while-host-unavailable"});
    k.put("inbound.poll", new String[] {"2m", "poll interval when the server has no IDLE"});
    k.put(
        "inbound.budget",
        new String[] {"", "disk space for held inbound mail (default: storage.budget / 4)"});
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
