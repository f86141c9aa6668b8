package io.twinpath.dongle.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import io.twinpath.dongle.DongleConfig.Modem;
import io.twinpath.dongle.DongleConfig.Sms;
import io.twinpath.dongle.DongleConfig.Smtp;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.secondary.InboundConfig;
import io.twinpath.secondary.SecondarySettings.PathKind;
import io.twinpath.secondary.SettingsTable;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The dongle's sections other than the broker, each read with the checks that span its keys and the
 * sections it depends on (the devices and their order, the modem and its GPIO lines, the sending
 * path, SMTP, SMS, inbound mail).
 */
public final class ConfigChecks {
  private ConfigChecks() {}

  public static DeviceId deviceId(ConfigReader r) {
    return r.value(SettingsTable.DEVICE_ID);
  }

  /** The paired hosts, each named once and none of them this device. */
  public static List<DeviceId> peers(ConfigReader r, DeviceId device) {
    List<DeviceId> peers = deviceList(r, "peers");
    for (DeviceId p : peers) {
      if (p.equals(device)) {
        throw r.reject("peers", "list the paired hosts, not this device (" + device + ")");
      }
    }
    return peers;
  }

  /** The turn order: as given (each device exactly once), else the peers then this device. */
  public static List<DeviceId> order(ConfigReader r, DeviceId device, List<DeviceId> peers) {
    String orderValue = r.get("device.order");
    if (orderValue.isEmpty()) {
      List<DeviceId> o = new ArrayList<>(peers);
      o.add(device);
      return List.copyOf(o);
    }
    List<DeviceId> order = deviceList(r, "device.order");
    Set<DeviceId> expected = new TreeSet<>(peers);
    expected.add(device);
    if (!new TreeSet<>(order).equals(expected) || order.size() != expected.size()) {
      throw r.reject(
          "device.order",
          "list each of " + expected + " exactly once, in the order devices take turns");
    }
    return order;
  }

  /** The cellular interface's address: required with {@code path = interface}, else refused. */
  public static @Nullable InetAddress bindAddress(ConfigReader r, PathKind path) {
    String bind = r.get("path.bind-address");
    if (path == PathKind.INTERFACE) {
      if (bind.isEmpty()) {
        throw r.reject(
            "path.bind-address",
            "path = interface needs the local IP address of the cellular interface,"
                + " e.g. path.bind-address = 10.64.12.7 (see 'ip -brief address')");
      }
      return r.value(SettingsTable.PATH_BIND_ADDRESS);
    }
    if (!bind.isEmpty()) {
      throw r.reject("path.bind-address", "set it only together with path = interface");
    }
    return null;
  }

  public static Modem modem(ConfigReader r) {
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

  public static PathKind pathKind(ConfigReader r, Modem modem) {
    PathKind kind =
        r.find(SettingsTable.PATH).orElse(modem.configured() ? PathKind.MODEM : PathKind.NONE);
    if (kind == PathKind.MODEM && !modem.configured()) {
      throw r.reject("modem.port", "path = modem needs the modem's AT port, e.g. /dev/ttyUSB2");
    }
    return kind;
  }

  public static Smtp smtp(ConfigReader r, PathKind path) {
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

  public static @Nullable InboundConfig inbound(ConfigReader r, long storageBudget) {
    try {
      InboundConfig.Builder b = InboundConfig.builder(r.get("inbound.protocol"));
      if (b == null) {
        for (String k : DongleKeys.KEYS.keySet()) {
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

  public static Sms sms(ConfigReader r, Modem modem) {
    List<String> numbers = r.find(SettingsTable.SMS_NUMBERS).orElse(List.of());
    if (!numbers.isEmpty() && !modem.configured()) {
      throw r.reject("sms.numbers", "SMS notices go out through the modem: set modem.port as well");
    }
    return new Sms(List.copyOf(new LinkedHashSet<>(numbers)), r.value(SettingsTable.SMS_DELAY));
  }

  private static List<DeviceId> deviceList(ConfigReader r, String key) {
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

  private static OptionalInt gpio(ConfigReader r, String key) {
    Optional<Integer> pin =
        r.find(
            key.equals("gpio.power-pin")
                ? SettingsTable.GPIO_POWER_PIN
                : SettingsTable.GPIO_RESET_PIN);
    return pin.isPresent() ? OptionalInt.of(pin.get()) : OptionalInt.empty();
  }

  /** A required directory or file, resolved against the file's directory. */
  public static Path path(ConfigReader r, String key) {
    Path p = optionalPath(r, key);
    if (p == null) {
      throw r.reject(key, "name a directory");
    }
    return p;
  }

  static @Nullable Path optionalPath(ConfigReader r, String key) {
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

  static @Nullable String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
