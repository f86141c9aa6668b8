package io.twinpath.kura.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.RawSettings;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.config.SettingValues;
import io.twinpath.core.config.ValueParser;
import io.twinpath.core.config.Values;
import io.twinpath.secondary.InboundConfig;
import io.twinpath.secondary.SecondarySettings.PathKind;
import io.twinpath.secondary.SettingsTable;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.jspecify.annotations.Nullable;

/**
 * The component's configuration as Kura hands it over (values arrive as String, Integer, Long,
 * Boolean; {@code Password} values arrive encrypted), read once through the secondary's {@link
 * SettingsTable} into immutable validated values. The keys are those of the metatype form ({@code
 * OSGI-INF/metatype/io.twinpath.kura.Secondary.xml}, held to {@link #FORM} by a test). Properties
 * Kura and the framework add ({@code service.pid}, {@code kura.service.pid}, {@code component.*})
 * are ignored. Every bad value fails with a {@link SettingException} from {@value #SOURCE} naming
 * the key, the value (never a password's) and what is accepted.
 */
public final class KuraSettings {
  /** Where a rejected value is said to come from. */
  public static final String SOURCE = "Kura configuration";

  /** The metatype type of a setting. */
  public enum Type {
    STRING,
    INTEGER,
    BOOLEAN,
    PASSWORD
  }

  /** {@code tcp://host:port} or {@code ssl://host:port}. */
  private static final ValueParser<URI> BROKER_URL =
      Values.text()
          .map(
              "use tcp://host:port or ssl://host:port, e.g. tcp://127.0.0.1:1883",
              s -> {
                URI uri;
                try {
                  uri = new URI(s);
                } catch (URISyntaxException e) {
                  throw new IllegalArgumentException(e.getMessage(), e);
                }
                String scheme =
                    uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("tcp") || scheme.equals("ssl"))
                    || uri.getHost() == null
                    || uri.getPort() < 1
                    || (uri.getPath() != null && !uri.getPath().isEmpty())
                    || uri.getUserInfo() != null) {
                  throw new IllegalArgumentException("not a broker URL");
                }
                return uri;
              });

  private static final Setting<URI> BROKER =
      Setting.of(SettingsTable.BROKER.key(), BROKER_URL, SettingsTable.BROKER.doc())
          .withDefault("tcp://127.0.0.1:1883");

  /** Every setting of the form, in form order: the table, with this gateway's defaults. */
  public static final List<Setting<?>> FORM = form();

  /** Every setting of the form, in form order, with its metatype type. */
  public static final Map<String, Type> KEYS = keys();

  private final Map<String, String> values;
  private final Map<String, Secret> secrets;
  private final SettingValues read;
  private final DeviceId device;
  private final List<DeviceId> peers;
  private final Map<DeviceId, String> peerKeys;
  private final List<DeviceId> order;
  private final URI broker;
  private final PathKind path;
  private final @Nullable Path dataDir;
  private final @Nullable InboundConfig inbound;

  private KuraSettings(Map<String, String> values, Map<String, Secret> secrets) {
    this.values = Collections.unmodifiableMap(values);
    this.secrets = Collections.unmodifiableMap(secrets);
    RawSettings.Builder raw = RawSettings.builder(SOURCE);
    values.forEach((k, v) -> raw.put(k, v, SOURCE));
    RawSettings r = raw.build();
    read = SettingValues.read(r, FORM);
    device = read.require(SettingsTable.DEVICE_ID);
    peers = peers(r);
    peerKeys = peerKeys(r);
    order = order(r);
    broker = read.require(BROKER);
    dataDir =
        read.get(SettingsTable.DATA_DIR)
            .map(d -> absolute(r, SettingsTable.DATA_DIR, d))
            .orElse(null);
    path = pathKind(r);
    if (read.isSet(SettingsTable.PATH_BIND_ADDRESS) != (path == PathKind.INTERFACE)) {
      throw r.reject(
          SettingsTable.PATH_BIND_ADDRESS.key(),
          path == PathKind.INTERFACE
              ? "path = interface needs the cellular interface's local IP address, e.g. 10.64.12.7"
                  + " (see ip -brief address)"
              : "set it only together with path = interface");
    }
    if (path != PathKind.NONE && !read.isSet(SettingsTable.SMTP_HOST)) {
      throw r.reject(
          SettingsTable.SMTP_HOST.key(),
          "path = "
              + Values.name(path)
              + " sends mail, so name the SMTP submission server, or set path = none");
    }
    Duration backoff = read.require(SettingsTable.MODEM_RECOVERY_BACKOFF);
    if (read.require(SettingsTable.MODEM_RECOVERY_BACKOFF_MAX).compareTo(backoff) < 0) {
      throw r.reject(
          SettingsTable.MODEM_RECOVERY_BACKOFF_MAX.key(),
          "use at least modem.recovery-backoff (" + Values.formatDuration(backoff) + ")");
    }
    Secret pin = secrets.get(SettingsTable.MODEM_PIN.key());
    if (pin != null) {
      SettingsTable.MODEM_PIN.parse(new String(pin.chars()));
    }
    inbound = parseInbound(r);
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
        String shown = v instanceof Object[] ? Arrays.toString((Object[]) v) : v.toString();
        throw (e.getValue() == Type.PASSWORD
                ? SettingException.hidden(key, "give one value, not several")
                : new SettingException(key, shown, "give one value, not several"))
            .at(SOURCE);
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

  /** The non-secret settings that are set, by key, as Kura gave them. */
  public Map<String, String> values() {
    return values;
  }

  /** The value of a non-secret setting of the form, or its default; read once, at start. */
  public <T> Optional<T> value(Setting<T> setting) {
    return read.get(setting);
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

  /** A non-secret setting's text, when set. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public PathKind path() {
    return path;
  }

  /** With {@link PathKind#INTERFACE}: the local address of the cellular interface. */
  public Optional<InetAddress> bindAddress() {
    return read.get(SettingsTable.PATH_BIND_ADDRESS);
  }

  public Duration smtpTimeout() {
    return read.require(SettingsTable.SMTP_TIMEOUT);
  }

  /** The broker URL in Paho's form ({@code tcp://host:port} or {@code ssl://host:port}). */
  public String brokerUrl() {
    return broker.toString();
  }

  public Duration takeoverDelay() {
    return read.require(SettingsTable.TAKEOVER_DELAY);
  }

  public long storageBudget() {
    return read.require(SettingsTable.STORAGE_BUDGET);
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
    b.append(", takeover after ").append(takeoverDelay().toSeconds()).append(" s");
    b.append(", path ").append(Values.name(path));
    String modem = values.get("modem.port");
    b.append(", modem ")
        .append(
            modem == null
                ? "none"
                : modem + " (" + Values.name(read.require(SettingsTable.MODEM_DIALECT)) + ")");
    String smtp = values.get("smtp.host");
    b.append(", smtp ")
        .append(
            smtp == null
                ? "none"
                : smtp + " (" + Values.name(read.require(SettingsTable.SMTP_TLS)) + ")");
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

  /**
   * The {@code inbound.*} settings, checked together by the shared {@link InboundConfig} exactly as
   * the dongle's are; the form's other inbound defaults are ignored while the protocol is off.
   */
  private @Nullable InboundConfig parseInbound(RawSettings r) {
    try {
      InboundConfig.Builder b = InboundConfig.builder(read.require(SettingsTable.INBOUND_PROTOCOL));
      if (b == null) {
        return null;
      }
      Secret password = secrets.get("inbound.password");
      Secret truststorePassword = secrets.get("inbound.truststore-password");
      return b.tls(r.text("inbound.tls").orElse(""))
          .host(r.text("inbound.host").orElse(""))
          .port(read.get(SettingsTable.INBOUND_PORT).orElse(null))
          .username(r.text("inbound.username").orElse(""))
          .password(() -> password == null ? new char[0] : password.chars())
          .folder(read.require(SettingsTable.INBOUND_FOLDER))
          .delete(read.require(SettingsTable.INBOUND_DELETE))
          .truststore(
              read.get(SettingsTable.INBOUND_TRUSTSTORE)
                  .map(t -> absolute(r, SettingsTable.INBOUND_TRUSTSTORE, t))
                  .orElse(null),
              () -> truststorePassword == null ? new char[0] : truststorePassword.chars())
          .policy(r.text("inbound.policy").orElse(""))
          .poll(read.require(SettingsTable.INBOUND_POLL))
          .budget(read.get(SettingsTable.INBOUND_BUDGET).orElse(null))
          .build(storageBudget());
    } catch (SettingException e) {
      if (!e.source().isEmpty()) {
        throw e;
      }
      Optional<Setting<?>> s = SettingsTable.find(e.key());
      throw s.isPresent() ? r.reject(s.get(), e.accepted()) : r.reject(e.key(), e.accepted());
    }
  }

  private List<DeviceId> peers(RawSettings r) {
    List<DeviceId> list = new ArrayList<>();
    for (DeviceId p : read.require(SettingsTable.PEERS)) {
      if (p.equals(device)) {
        throw r.reject(
            "peers", "it lists this gateway's own id (" + device + "); list the paired hosts only");
      }
      if (!list.contains(p)) {
        list.add(p);
      }
    }
    return List.copyOf(list);
  }

  private Map<DeviceId, String> peerKeys(RawSettings r) {
    List<String> keys = read.get(SettingsTable.PEERS_PUBLIC_KEY).orElse(List.of());
    if (keys.isEmpty()) {
      return Map.of();
    }
    if (keys.size() != peers.size()) {
      throw r.reject(
          "peers.public-key",
          "it holds "
              + keys.size()
              + " key(s) but peers lists "
              + peers.size()
              + " device(s); give one key per peer, comma-separated, in the same order");
    }
    Map<DeviceId, String> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      try {
        KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(k)));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new SettingException(
                "peers.public-key",
                k,
                "give "
                    + peers.get(i)
                    + "'s Ed25519 public key in base64 as 'twinpath-host pair' prints it")
            .at(r.source("peers.public-key"));
      }
      out.put(peers.get(i), k);
    }
    return Collections.unmodifiableMap(out);
  }

  private List<DeviceId> order(RawSettings r) {
    List<DeviceId> expected = new ArrayList<>(peers);
    expected.add(device);
    Optional<List<DeviceId>> given = read.get(SettingsTable.DEVICE_ORDER);
    if (given.isEmpty()) {
      return List.copyOf(expected);
    }
    List<DeviceId> list = given.get();
    if (list.size() != expected.size() || !list.containsAll(expected)) {
      throw r.reject(
          "device.order",
          "list each of " + expected + " exactly once, in the order devices take turns");
    }
    return List.copyOf(list);
  }

  private PathKind pathKind(RawSettings r) {
    boolean modem = read.isSet(SettingsTable.MODEM_PORT);
    Optional<PathKind> given = read.get(SettingsTable.PATH);
    if (given.isEmpty()) {
      return modem ? PathKind.MODEM : PathKind.NONE;
    }
    if (given.get() == PathKind.MODEM && !modem) {
      throw r.reject("modem.port", "path = modem needs the modem's AT port, e.g. /dev/ttyUSB2");
    }
    return given.get();
  }

  private static Path absolute(RawSettings r, Setting<String> setting, String text) {
    try {
      return Values.absolutePath().parse(setting.key(), text);
    } catch (SettingException e) {
      throw e.at(r.source(setting.key()));
    }
  }

  private static List<Setting<?>> form() {
    List<Setting<?>> form = new ArrayList<>();
    for (Setting<?> s : SettingsTable.ALL) {
      if (s.key().equals(SettingsTable.DEVICE_ID.key())) {
        form.add(SettingsTable.DEVICE_ID.withDefault("gateway"));
      } else if (s.key().equals(SettingsTable.BROKER.key())) {
        form.add(BROKER);
      } else {
        form.add(s);
      }
    }
    return List.copyOf(form);
  }

  private static Map<String, Type> keys() {
    Map<String, Type> k = new LinkedHashMap<>();
    for (Setting<?> s : FORM) {
      k.put(s.key(), type(s));
    }
    return Collections.unmodifiableMap(k);
  }

  /** The metatype type a setting has in the form. */
  public static Type type(Setting<?> s) {
    if (s.isSecret()) {
      return Type.PASSWORD;
    }
    return switch (s.parser().kind()) {
      case INTEGER -> Type.INTEGER;
      case BOOLEAN -> Type.BOOLEAN;
      case TEXT -> Type.STRING;
    };
  }
}
