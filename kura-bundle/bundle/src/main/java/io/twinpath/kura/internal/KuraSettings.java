package io.twinpath.kura.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.SettingException;
import io.twinpath.secondary.InboundConfig;
import io.twinpath.secondary.SecondarySettings.PathKind;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The component's configuration as Kura hands it over (values arrive as String, Integer, Long,
 * Boolean; {@code Password} values arrive encrypted), read into immutable validated values. The
 * keys are those of the metatype form ({@code OSGI-INF/metatype/io.twinpath.kura.Secondary.xml})
 * and of {@code twinpath-dongle}'s config file. Properties Kura and the framework add ({@code
 * service.pid}, {@code kura.service.pid}, {@code component.*}) are ignored. Every bad value fails
 * with an {@link IllegalArgumentException} naming the key, the value (never for a password) and
 * what is accepted.
 */
public final class KuraSettings {
  /** The metatype type of a setting. */
  public enum Type {
    STRING,
    INTEGER,
    BOOLEAN,
    PASSWORD
  }

  /** Every setting of the form, in form order, with its metatype type. */
  public static final Map<String, Type> KEYS = keys();

  private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([KMGT]?B?)");
  private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h)?");

  private final Map<String, String> values;
  private final Map<String, Secret> secrets;
  private final DeviceId device;
  private final List<DeviceId> peers;
  private final Map<DeviceId, String> peerKeys;
  private final List<DeviceId> order;
  private final URI broker;
  private final PathKind path;
  private final @Nullable InetAddress bindAddress;
  private final Duration smtpTimeout;
  private final Duration takeoverDelay;
  private final long storageBudget;
  private final @Nullable Path dataDir;
  private final @Nullable InboundConfig inbound;

  private KuraSettings(Map<String, String> values, Map<String, Secret> secrets) {
    this.values = Collections.unmodifiableMap(values);
    this.secrets = Collections.unmodifiableMap(secrets);
    device = deviceId("device.id", get("device.id", "gateway"));
    peers = peers(get("peers", "laptop"));
    peerKeys = peerKeys(get("peers.public-key", ""));
    order = order(get("device.order", ""));
    broker = broker(get("broker", "tcp://127.0.0.1:1883"));
    takeoverDelay = duration("takeover.delay", get("takeover.delay", "30s"));
    smtpTimeout = duration("smtp.timeout", get("smtp.timeout", "60s"));
    duration("sms.delay", get("sms.delay", "15m"));
    duration("modem.poll", get("modem.poll", "30s"));
    duration("modem.recovery-backoff", get("modem.recovery-backoff", "30s"));
    duration("modem.recovery-backoff-max", get("modem.recovery-backoff-max", "30m"));
    storageBudget = size("storage.budget", get("storage.budget", "256MB"));
    String dir = get("data.dir", "");
    dataDir = dir.isEmpty() ? null : path("data.dir", dir);
    oneOf("modem.dialect", "sim7600", "sim7600", "ec25");
    oneOf("smtp.tls", "starttls", "starttls", "implicit", "none");
    oneOf("path", "", "", "modem", "interface", "none");
    path = pathKind();
    bindAddress = parseBindAddress();
    if (path != PathKind.NONE && !values.containsKey("smtp.host")) {
      throw new IllegalArgumentException(
          "setting 'smtp.host' is empty but path = "
              + path.name().toLowerCase(Locale.ROOT)
              + " sends mail; give the SMTP submission server, or set path = none");
    }
    integer("modem.baud", 1200, 4_000_000);
    integer("smtp.port", 1, 65535);
    integer("gpio.power-pin", 0, 27);
    integer("gpio.reset-pin", 0, 27);
    integer("modem.recovery-after", 1, 100);
    integer("inbound.port", 1, 65535);
    inbound = parseInbound();
  }

  /**
   * Reads Kura's properties.
   *
   * @param decryptor turns the encrypted {@code Password} values back into secrets
   */
  public static KuraSettings from(Map<String, ?> properties, PasswordDecryptor decryptor) {
    Objects.requireNonNull(properties, "properties");
    Map<String, String> values = new TreeMap<>();
    Map<String, Secret> secrets = new TreeMap<>();
    for (Map.Entry<String, Type> e : KEYS.entrySet()) {
      String key = e.getKey();
      Object v = properties.get(key);
      if (v == null) {
        continue;
      }
      if (v instanceof Object[] || v instanceof List) {
        throw new IllegalArgumentException(
            "setting '" + key + "' holds several values; it accepts one");
      }
      String s = v.toString().strip();
      if (s.isEmpty()) {
        continue;
      }
      if (e.getValue() == Type.PASSWORD) {
        secrets.put(key, decryptor.decrypt(key, s));
      } else {
        values.put(key, s);
      }
    }
    return new KuraSettings(values, secrets);
  }

  /** The non-secret settings that are set, by key (for the engine's configuration). */
  public Map<String, String> values() {
    return values;
  }

  /** The decrypted password settings that are set, by key. */
  public Optional<Secret> secret(String key) {
    return Optional.ofNullable(secrets.get(key));
  }

  /** The keys of the password settings that are set (safe to log). */
  public Set<String> secretKeys() {
    return secrets.keySet();
  }

  public DeviceId device() {
    return device;
  }

  public List<DeviceId> peers() {
    return peers;
  }

  /**
   * The public keys (X.509, base64) configured for the peers, in {@code peers} order; empty when
   * {@code peers.public-key} is unset.
   */
  public Map<DeviceId, String> peerKeys() {
    return peerKeys;
  }

  /** Every device in turn order, this one included (the same list on every device). */
  public List<DeviceId> order() {
    return order;
  }

  /** A non-secret setting's value, when set. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public PathKind path() {
    return path;
  }

  /** With {@link PathKind#INTERFACE}: the local address of the cellular interface. */
  public Optional<InetAddress> bindAddress() {
    return Optional.ofNullable(bindAddress);
  }

  public Duration smtpTimeout() {
    return smtpTimeout;
  }

  /** The broker URL in Paho's form ({@code tcp://host:port} or {@code ssl://host:port}). */
  public String brokerUrl() {
    return broker.toString();
  }

  public Duration takeoverDelay() {
    return takeoverDelay;
  }

  public long storageBudget() {
    return storageBudget;
  }

  /** The configured data directory, or empty for the bundle's own data area. */
  public Optional<Path> dataDir() {
    return Optional.ofNullable(dataDir);
  }

  /** The mailbox the gateway fetches and holds for the hosts; empty with inbound.protocol = off. */
  public Optional<InboundConfig> inbound() {
    return Optional.ofNullable(inbound);
  }

  /** One line for the log: what runs, never a secret. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append("device ").append(device).append(", peers ").append(peers);
    b.append(", broker ").append(broker);
    b.append(", takeover after ").append(takeoverDelay.toSeconds()).append(" s");
    b.append(", path ").append(path.name().toLowerCase(Locale.ROOT));
    String modem = values.get("modem.port");
    b.append(", modem ")
        .append(modem == null ? "none" : modem + " (" + get("modem.dialect", "sim7600") + ")");
    String smtp = values.get("smtp.host");
    b.append(", smtp ")
        .append(smtp == null ? "none" : smtp + " (" + get("smtp.tls", "starttls") + ")");
    b.append(", inbound ").append(inbound == null ? "off" : inbound.toString());
    if (!secrets.isEmpty()) {
      b.append(", passwords set: ").append(String.join(" ", secrets.keySet()));
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KuraSettings
        && ((KuraSettings) o).values.equals(values)
        && ((KuraSettings) o).secrets.equals(secrets);
  }

  @Override
  public int hashCode() {
    return values.hashCode() * 31 + secrets.hashCode();
  }

  @Override
  public String toString() {
    return "KuraSettings[" + summary() + "]";
  }

  private String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /**
   * The {@code inbound.*} settings, read and checked by the shared {@link InboundConfig} exactly as
   * the dongle's are; the form's other inbound defaults are ignored while the protocol is off.
   */
  private @Nullable InboundConfig parseInbound() {
    try {
      InboundConfig.Builder b = InboundConfig.builder(get("inbound.protocol", "off"));
      if (b == null) {
        return null;
      }
      String truststore = get("inbound.truststore", "");
      String budget = get("inbound.budget", "");
      Secret password = secrets.get("inbound.password");
      Secret truststorePassword = secrets.get("inbound.truststore-password");
      return b.tls(get("inbound.tls", "implicit"))
          .host(get("inbound.host", ""))
          .port(
              values.containsKey("inbound.port") ? Integer.valueOf(get("inbound.port", "")) : null)
          .username(get("inbound.username", ""))
          .password(() -> password == null ? new char[0] : password.chars())
          .folder(get("inbound.folder", "INBOX"))
          .delete(bool("inbound.delete"))
          .truststore(
              truststore.isEmpty() ? null : path("inbound.truststore", truststore),
              () -> truststorePassword == null ? new char[0] : truststorePassword.chars())
          .policy(get("inbound.policy", "while-host-unavailable"))
          .poll(duration("inbound.poll", get("inbound.poll", "2m")))
          .budget(budget.isEmpty() ? null : size("inbound.budget", budget))
          .build(storageBudget);
    } catch (SettingException e) {
      String v = e.value();
      throw new IllegalArgumentException(
          v == null
              ? "setting '" + e.key() + "' is empty but " + e.accepted()
              : "setting '" + e.key() + "' = '" + v + "' is not accepted; " + e.accepted(),
          e);
    }
  }

  private boolean bool(String key) {
    String v = get(key, "false").toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(
          "setting '" + key + "' = '" + get(key, "") + "' is not accepted; accepted: true, false");
    }
    return v.equals("true");
  }

  private static DeviceId deviceId(String key, String value) {
    try {
      return DeviceId.of(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting '" + key + "': " + e.getMessage(), e);
    }
  }

  private List<DeviceId> peers(String value) {
    List<DeviceId> list = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      DeviceId p = deviceId("peers", part.strip());
      if (p.equals(device)) {
        throw new IllegalArgumentException(
            "setting 'peers' = '"
                + value
                + "' lists this gateway's own id ("
                + device
                + "); list the paired hosts only");
      }
      if (!list.contains(p)) {
        list.add(p);
      }
    }
    return List.copyOf(list);
  }

  private Map<DeviceId, String> peerKeys(String value) {
    if (value.isEmpty()) {
      return Map.of();
    }
    String[] keys = value.split("[,\\s]+", -1);
    if (keys.length != peers.size()) {
      throw new IllegalArgumentException(
          "setting 'peers.public-key' holds "
              + keys.length
              + " key(s) but 'peers' lists "
              + peers.size()
              + " device(s); give one key per peer, comma-separated, in the same order");
    }
    Map<DeviceId, String> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      String k = keys[i];
      try {
        KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(k)));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "setting 'peers.public-key' = '"
                + k
                + "' is not accepted for "
                + peers.get(i)
                + "; give the Ed25519 public key in base64 as 'twinpath-host pair' prints it",
            e);
      }
      out.put(peers.get(i), k);
    }
    return Collections.unmodifiableMap(out);
  }

  private List<DeviceId> order(String value) {
    List<DeviceId> expected = new ArrayList<>(peers);
    expected.add(device);
    if (value.isEmpty()) {
      return List.copyOf(expected);
    }
    List<DeviceId> list = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      list.add(deviceId("device.order", part.strip()));
    }
    if (list.size() != expected.size() || !list.containsAll(expected)) {
      throw new IllegalArgumentException(
          "setting 'device.order' = '"
              + value
              + "' is not accepted; list each of "
              + expected
              + " exactly once, in the order devices take turns");
    }
    return List.copyOf(list);
  }

  private PathKind pathKind() {
    String v = get("path", "").toLowerCase(Locale.ROOT);
    if (v.isEmpty()) {
      return values.containsKey("modem.port") ? PathKind.MODEM : PathKind.NONE;
    }
    PathKind k = PathKind.valueOf(v.toUpperCase(Locale.ROOT));
    if (k == PathKind.MODEM && !values.containsKey("modem.port")) {
      throw new IllegalArgumentException(
          "setting 'modem.port' is empty but path = modem; give the modem's AT port, e.g."
              + " /dev/ttyUSB2");
    }
    return k;
  }

  private @Nullable InetAddress parseBindAddress() {
    String v = get("path.bind-address", "");
    if (path != PathKind.INTERFACE) {
      if (!v.isEmpty()) {
        throw new IllegalArgumentException(
            "setting 'path.bind-address' = '" + v + "' is set but path is not interface");
      }
      return null;
    }
    if (v.isEmpty() || !v.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      throw new IllegalArgumentException(
          "setting 'path.bind-address' = '"
              + v
              + "' is not accepted; path = interface needs the cellular interface's local IP"
              + " address, e.g. 10.64.12.7 (see ip -brief address)");
    }
    try {
      return InetAddress.getByName(v);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "setting 'path.bind-address' = '" + v + "' is not an IP address", e);
    }
  }

  private static URI broker(String value) {
    String accepted = "accepted: tcp://host:port or ssl://host:port, e.g. tcp://127.0.0.1:1883";
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "setting 'broker' = '" + value + "' is not a URL; " + accepted, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("tcp") || scheme.equals("ssl"))
        || uri.getHost() == null
        || uri.getPort() < 1
        || (uri.getPath() != null && !uri.getPath().isEmpty())
        || uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "setting 'broker' = '" + value + "' is not accepted; " + accepted);
    }
    return uri;
  }

  static Duration duration(String key, String value) {
    Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "setting '"
              + key
              + "' = '"
              + value
              + "' is not a duration; accepted: a number with ms, s, m or h, e.g. 30s");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException(
          "setting '" + key + "' = '" + value + "' is too long; accepted: up to 24h");
    }
    return d;
  }

  static long size(String key, String value) {
    Matcher m = SIZE.matcher(value.toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "setting '"
              + key
              + "' = '"
              + value
              + "' is not a size; accepted: a number with KB, MB, GB or TB, e.g. 256MB");
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2).replace("B", "")) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> 0;
        };
    if (n > (1L << 40) >> shift || n << shift < (1L << 20)) {
      throw new IllegalArgumentException(
          "setting '" + key + "' = '" + value + "' is out of range; accepted: 1MB to 1TB");
    }
    return n << shift;
  }

  private static Path path(String key, String value) {
    try {
      Path p = Path.of(value);
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException(
            "setting '" + key + "' = '" + value + "' is not accepted; give an absolute path");
      }
      return p;
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "setting '" + key + "' = '" + value + "' is not a valid path", e);
    }
  }

  private void oneOf(String key, String fallback, String... accepted) {
    String v = get(key, fallback).toLowerCase(Locale.ROOT);
    if (!List.of(accepted).contains(v)) {
      throw new IllegalArgumentException(
          "setting '"
              + key
              + "' = '"
              + get(key, fallback)
              + "' is not accepted; accepted: "
              + String.join(", ", List.of(accepted).stream().filter(a -> !a.isEmpty()).toList()));
    }
  }

  private void integer(String key, long min, long max) {
    String v = values.get(key);
    if (v == null) {
      return;
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting '" + key + "' = '" + v + "' is not a whole number (" + min + "-" + max + ")", e);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          "setting '" + key + "' = " + n + " is out of range; accepted: " + min + "-" + max);
    }
  }

  private static Map<String, Type> keys() {
    Map<String, Type> k = new LinkedHashMap<>();
    for (String s :
        List.of(
            "device.id",
            "peers",
            "peers.public-key",
            "device.order",
            "takeover.delay",
            "data.dir",
            "storage.budget",
            "broker",
            "broker.username")) {
      k.put(s, Type.STRING);
    }
    k.put("broker.password", Type.PASSWORD);
    k.put("broker.tls.truststore", Type.STRING);
    k.put("broker.tls.truststore-password", Type.PASSWORD);
    k.put("path", Type.STRING);
    k.put("path.bind-address", Type.STRING);
    k.put("modem.port", Type.STRING);
    k.put("modem.dialect", Type.STRING);
    k.put("modem.baud", Type.INTEGER);
    k.put("modem.apn", Type.STRING);
    k.put("modem.apn-user", Type.STRING);
    k.put("modem.apn-password", Type.PASSWORD);
    k.put("modem.pin", Type.PASSWORD);
    k.put("modem.poll", Type.STRING);
    k.put("modem.recovery-after", Type.INTEGER);
    k.put("modem.recovery-backoff", Type.STRING);
    k.put("modem.recovery-backoff-max", Type.STRING);
    k.put("gpio.power-pin", Type.INTEGER);
    k.put("gpio.reset-pin", Type.INTEGER);
    k.put("smtp.host", Type.STRING);
    k.put("smtp.port", Type.INTEGER);
    k.put("smtp.tls", Type.STRING);
    k.put("smtp.username", Type.STRING);
    k.put("smtp.password", Type.PASSWORD);
    k.put("smtp.timeout", Type.STRING);
    k.put("smtp.ehlo", Type.STRING);
    k.put("smtp.truststore", Type.STRING);
    k.put("smtp.truststore-password", Type.PASSWORD);
    k.put("sms.numbers", Type.STRING);
    k.put("sms.delay", Type.STRING);
    k.put("inbound.protocol", Type.STRING);
    k.put("inbound.tls", Type.STRING);
    k.put("inbound.host", Type.STRING);
    k.put("inbound.port", Type.INTEGER);
    k.put("inbound.username", Type.STRING);
    k.put("inbound.password", Type.PASSWORD);
    k.put("inbound.folder", Type.STRING);
    k.put("inbound.delete", Type.BOOLEAN);
    k.put("inbound.truststore", Type.STRING);
    k.put("inbound.truststore-password", Type.PASSWORD);
    k.put("inbound.policy", Type.STRING);
    k.put("inbound.poll", Type.STRING);
    k.put("inbound.budget", Type.STRING);
    return Collections.unmodifiableMap(k);
  }
}
