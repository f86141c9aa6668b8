package io.twinpath.secondary;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.ValueParser;
import io.twinpath.core.config.Values;
import io.twinpath.core.inbound.FetchPolicy;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.hw.modem.ModemDialect;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of a secondary, declared once: key, value syntax and range, default, meaning, and
 * whether it is a secret. The dongle's config file and the Kura form both read their values through
 * these; {@link SecondarySettings}' defaults are these defaults. A new setting is added here (and
 * to the Kura form, which a test holds to this table). Settings whose default depends on the front
 * end ({@link #DEVICE_ID}, {@link #DATA_DIR}, {@link #BROKER}) have none here.
 */
public final class SettingsTable {
  private static final List<Setting<?>> ORDER = new ArrayList<>();

  private static final ValueParser<DeviceId> DEVICE =
      Values.text()
          .map(
              "use 1-64 lower-case letters, digits and inner dashes, e.g. dongle or gateway",
              DeviceId::of);
  private static final ValueParser<String> PHONE =
      Values.text()
          .map(
              "use a phone number in international form, e.g. +4915112345678",
              s -> {
                String t = s.replace(" ", "");
                if (!t.matches("\\+?[0-9]{3,15}")) {
                  throw new IllegalArgumentException("not a phone number");
                }
                return t;
              });
  public static final Setting<DeviceId> DEVICE_ID =
      add(Setting.of("device.id", DEVICE, "This device's id; part of its MQTT topics."));
  public static final Setting<List<DeviceId>> PEERS =
      add(
          Setting.of(
                  "peers",
                  Values.listOf(DEVICE),
                  "Device ids of the paired hosts (laptops), comma-separated.")
              .withDefault("laptop"));
  public static final Setting<List<String>> PEERS_PUBLIC_KEY =
      add(
          Setting.of(
              "peers.public-key",
              Values.listOf(Values.text()),
              "The paired hosts' Ed25519 public keys (base64, as 'twinpath-host pair' prints"
                  + " them), one per peer in peers order."));
  public static final Setting<List<DeviceId>> DEVICE_ORDER =
      add(
          Setting.of(
              "device.order",
              Values.listOf(DEVICE),
              "Turn order of all devices, comma-separated (unset: the peers, then this device)."));
  public static final Setting<Duration> TAKEOVER_DELAY =
      add(
          Setting.of(
                  "takeover.delay",
                  Values.duration(Duration.ZERO, Duration.ofHours(24)),
                  "How long a host may stay silent holding a turn before this device takes it; each"
                      + " device announces its own and both use the shorter.")
              .withDefault("30s"));
  public static final Setting<String> DATA_DIR =
      add(Setting.of("data.dir", Values.text(), "Directory for the spool, keys and state."));
  public static final Setting<Long> STORAGE_BUDGET =
      add(
          Setting.of(
                  "storage.budget",
                  Values.size(1L << 20, 1L << 40),
                  "Disk space the spool may use; items beyond it are refused.")
              .withDefault("256MB"));

  public static final Setting<String> BROKER =
      add(
          Setting.of(
              "broker",
              Values.text(),
              "The MQTT broker: tcp://host:1883 or ssl://host:8883 (the dongle: also embedded)."));
  public static final Setting<String> BROKER_USERNAME =
      add(Setting.of("broker.username", Values.text(), "MQTT user name (unset: none)."));
  public static final Setting<String> BROKER_PASSWORD =
      add(Setting.of("broker.password", Values.text(), "MQTT password.").asSecret());
  public static final Setting<String> BROKER_TLS_TRUSTSTORE =
      add(
          Setting.of(
              "broker.tls.truststore",
              Values.text(),
              "Trust store (PKCS12 or JKS) for an ssl:// broker (unset: the JDK's authorities)."));
  public static final Setting<String> BROKER_TLS_TRUSTSTORE_PASSWORD =
      add(
          Setting.of(
                  "broker.tls.truststore-password", Values.text(), "Password of that trust store.")
              .asSecret());

  public static final Setting<SecondarySettings.PathKind> PATH =
      add(
          Setting.of(
              "path",
              Values.oneOf(SecondarySettings.PathKind.class),
              "How this device sends: modem, interface or none (unset: modem when modem.port is"
                  + " set, else none)."));
  public static final Setting<InetAddress> PATH_BIND_ADDRESS =
      add(
          Setting.of(
              "path.bind-address",
              Values.ipAddress(),
              "With path = interface: the cellular interface's local IP address."));

  public static final Setting<String> MODEM_PORT =
      add(
          Setting.of(
              "modem.port",
              Values.text(),
              "The modem's AT port, e.g. /dev/ttyUSB2 (unset: no modem)."));
  public static final Setting<ModemDialect> MODEM_DIALECT =
      add(
          Setting.of(
                  "modem.dialect",
                  Values.oneOf(ModemDialect.class)
                      .map("use sim7600 (SIMCom SIM7600) or ec25 (Quectel EC2x / BG9x)", d -> d),
                  "The AT command set.")
              .withDefault("sim7600"));
  public static final Setting<Integer> MODEM_BAUD =
      add(
          Setting.of(
                  "modem.baud",
                  Values.integer(1200, 4_000_000, "a baud rate"),
                  "Serial speed of the AT port.")
              .withDefault("115200"));
  public static final Setting<String> MODEM_APN =
      add(
          Setting.of(
              "modem.apn",
              Values.text()
                  .map(
                      "use your provider's APN, e.g. internet (letters, digits, . and -)",
                      s -> {
                        if (!s.matches("[A-Za-z0-9.-]{0,62}")) {
                          throw new IllegalArgumentException("not an APN");
                        }
                        return s;
                      }),
              "Your mobile provider's APN."));
  public static final Setting<String> MODEM_APN_USER =
      add(Setting.of("modem.apn-user", Values.text(), "APN user name, if the provider needs one."));
  public static final Setting<String> MODEM_APN_PASSWORD =
      add(Setting.of("modem.apn-password", Values.text(), "APN password.").asSecret());
  public static final Setting<String> MODEM_PIN =
      add(
          Setting.of(
                  "modem.pin",
                  Values.text()
                      .map(
                          "use the SIM PIN: 4 to 8 digits",
                          s -> {
                            if (!s.matches("[0-9]{4,8}")) {
                              throw new IllegalArgumentException("not a PIN");
                            }
                            return s;
                          }),
                  "SIM PIN, if the SIM is locked.")
              .asSecret());
  public static final Setting<Duration> MODEM_POLL =
      add(
          Setting.of(
                  "modem.poll",
                  Values.duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
                  "How often the modem's health is checked.")
              .withDefault("30s"));
  public static final Setting<Integer> MODEM_RECOVERY_AFTER =
      add(
          Setting.of(
                  "modem.recovery-after",
                  Values.integer(1, 100, "a number of failed health checks in a row"),
                  "Failed health checks in a row before the modem is recovered.")
              .withDefault("3"));
  public static final Setting<Duration> MODEM_RECOVERY_BACKOFF =
      add(
          Setting.of(
                  "modem.recovery-backoff",
                  Values.duration(Duration.ofMillis(100), Duration.ofHours(1)),
                  "Pause after a recovery that did not bring the modem back; doubled after each.")
              .withDefault("30s"));
  public static final Setting<Duration> MODEM_RECOVERY_BACKOFF_MAX =
      add(
          Setting.of(
                  "modem.recovery-backoff-max",
                  Values.duration(Duration.ofMillis(100), Duration.ofHours(24)),
                  "The longest pause between recoveries (at least modem.recovery-backoff).")
              .withDefault("30m"));
  public static final Setting<Integer> GPIO_POWER_PIN =
      add(
          Setting.of(
              "gpio.power-pin",
              Values.integer(0, 27, "a BCM GPIO number"),
              "BCM GPIO wired to the modem's power key (unset: none)."));
  public static final Setting<Integer> GPIO_RESET_PIN =
      add(
          Setting.of(
              "gpio.reset-pin",
              Values.integer(0, 27, "a BCM GPIO number"),
              "BCM GPIO wired to the modem's reset line (unset: none)."));

  public static final Setting<String> SMTP_HOST =
      add(
          Setting.of(
              "smtp.host", Values.hostName(), "SMTP submission server for the cellular path."));
  public static final Setting<Integer> SMTP_PORT =
      add(
          Setting.of(
              "smtp.port",
              Values.port(),
              "Its port (unset: 587 for starttls, 465 for implicit, 25 for none)."));
  public static final Setting<SmtpSettings.TlsMode> SMTP_TLS =
      add(
          Setting.of(
                  "smtp.tls",
                  Values.tlsMode()
                      .map(
                          "use starttls (port 587), implicit (port 465) or none (only for a"
                              + " trusted relay)",
                          t -> t),
                  "starttls, implicit or none.")
              .withDefault("starttls"));
  public static final Setting<String> SMTP_USERNAME =
      add(Setting.of("smtp.username", Values.text(), "SMTP account user name."));
  public static final Setting<String> SMTP_PASSWORD =
      add(Setting.of("smtp.password", Values.text(), "SMTP account password.").asSecret());
  public static final Setting<Duration> SMTP_TIMEOUT =
      add(
          Setting.of(
                  "smtp.timeout",
                  Values.duration(Duration.ofSeconds(5), Duration.ofMinutes(30)),
                  "Connect and read timeout.")
              .withDefault("60s"));
  public static final Setting<String> SMTP_EHLO =
      add(
          Setting.of(
              "smtp.ehlo",
              Values.text()
                  .map(
                      "use a host name like dongle.example.org",
                      s -> {
                        if (!s.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                          throw new IllegalArgumentException("not a host name");
                        }
                        return s;
                      }),
              "Name sent in EHLO (unset: the device id)."));
  public static final Setting<String> SMTP_TRUSTSTORE =
      add(
          Setting.of(
              "smtp.truststore",
              Values.text(),
              "Trust store for the SMTP server (unset: the JDK's authorities)."));
  public static final Setting<String> SMTP_TRUSTSTORE_PASSWORD =
      add(
          Setting.of("smtp.truststore-password", Values.text(), "Password of that trust store.")
              .asSecret());

  public static final Setting<List<String>> SMS_NUMBERS =
      add(
          Setting.of(
              "sms.numbers",
              Values.listOf(PHONE)
                  .map(
                      "use phone numbers in international form separated by commas, e.g."
                          + " +4915112345678, +447700900123",
                      l -> l),
              "Phone numbers told by SMS about mail stuck while cellular data is down."));
  public static final Setting<Duration> SMS_DELAY =
      add(
          Setting.of(
                  "sms.delay",
                  Values.duration(Duration.ofMinutes(1), Duration.ofDays(7)),
                  "How long an item waits before the SMS notice.")
              .withDefault("15m"));

  public static final Setting<String> INBOUND_PROTOCOL =
      add(
          Setting.of(
                  "inbound.protocol",
                  Values.oneOf("imap", "pop3", "off")
                      .map("use imap, pop3 or off (TLS is chosen by inbound.tls)", p -> p),
                  "Fetch inbound mail: imap, pop3 or off.")
              .withDefault("off"));
  public static final Setting<SmtpSettings.TlsMode> INBOUND_TLS =
      add(
          Setting.of(
                  "inbound.tls",
                  Values.tlsMode()
                      .map(
                          "use implicit (TLS from the first byte, ports 993/995), starttls (ports"
                              + " 143/110, upgraded before the login, refused when the server"
                              + " does not offer it) or none (only for a trusted server)",
                          t -> t),
                  "implicit, starttls or none.")
              .withDefault("implicit"));
  public static final Setting<String> INBOUND_HOST =
      add(Setting.of("inbound.host", Values.hostName(), "The IMAP or POP3 server."));
  public static final Setting<Integer> INBOUND_PORT =
      add(
          Setting.of(
              "inbound.port",
              Values.port(),
              "Its port (unset: 993 imap, 995 pop3; 143 / 110 with starttls or none)."));
  public static final Setting<String> INBOUND_USERNAME =
      add(Setting.of("inbound.username", Values.text(), "The mailbox's user name."));
  public static final Setting<String> INBOUND_PASSWORD =
      add(Setting.of("inbound.password", Values.text(), "The mailbox's password.").asSecret());
  public static final Setting<String> INBOUND_FOLDER =
      add(
          Setting.of("inbound.folder", Values.text(), "The IMAP folder to fetch.")
              .withDefault("INBOX"));
  public static final Setting<Boolean> INBOUND_DELETE =
      add(
          Setting.of("inbound.delete", Values.bool(), "pop3: delete a message once it is held.")
              .withDefault("false"));
  public static final Setting<String> INBOUND_TRUSTSTORE =
      add(
          Setting.of(
              "inbound.truststore",
              Values.text(),
              "Trust store for the mail server (unset: the JDK's authorities)."));
  public static final Setting<String> INBOUND_TRUSTSTORE_PASSWORD =
      add(
          Setting.of("inbound.truststore-password", Values.text(), "Password of that trust store.")
              .asSecret());
  public static final Setting<FetchPolicy> INBOUND_POLICY =
      add(
          Setting.of(
                  "inbound.policy",
                  Values.oneOf(FetchPolicy.class),
                  "always, or while-host-unavailable.")
              .withDefault("while-host-unavailable"));
  public static final Setting<Duration> INBOUND_POLL =
      add(
          Setting.of(
                  "inbound.poll",
                  Values.duration(Duration.ofSeconds(10), Duration.ofHours(1)),
                  "Poll interval when the server has no IDLE.")
              .withDefault("2m"));
  public static final Setting<Long> INBOUND_BUDGET =
      add(
          Setting.of(
              "inbound.budget",
              Values.size(1L << 20, 1L << 40),
              "Disk space for held inbound mail, at most storage.budget (unset: a quarter of"
                  + " it)."));

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> ALL = Collections.unmodifiableList(ORDER);

  private static final Map<String, Setting<?>> BY_KEY = byKey();

  private SettingsTable() {}

  private static <T> Setting<T> add(Setting<T> s) {
    ORDER.add(s);
    return s;
  }

  private static Map<String, Setting<?>> byKey() {
    Map<String, Setting<?>> m = new LinkedHashMap<>();
    for (Setting<?> s : ORDER) {
      if (m.put(s.key(), s) != null) {
        throw new IllegalStateException("declared twice: " + s.key());
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** The setting of {@code key}, if the table has one. */
  public static Optional<Setting<?>> find(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /** The keys, in documentation order. */
  public static List<String> keys() {
    return List.copyOf(BY_KEY.keySet());
  }
}
