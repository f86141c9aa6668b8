package io.twinpath.kura.internal;

import io.twinpath.core.config.Secret;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.tls.TrustStores;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.secondary.SecondarySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * Turns the form's settings into the shared secondary's settings: the broker link, the path (the
 * modem with its GPIO lines and recovery, or a cellular interface) with the SMTP account, SMS
 * notices, the inbound mailbox, the peers' keys. Holds no logic beyond that mapping.
 */
final class Assembly {
  private Assembly() {}

  /**
   * Checks what only the mapping can check (serial settings, GPIO wiring, SMS numbers) without
   * touching a port.
   *
   * @throws IllegalArgumentException naming the setting and what is accepted
   */
  static void validate(KuraSettings s) {
    if (s.path() == SecondarySettings.PathKind.MODEM) {
      modem(s);
      sms(s, SecondarySettings.builder());
    }
  }

  static SecondarySettings settings(KuraSettings s, Path dataDir, Clock clock) {
    SecondarySettings.Builder b =
        SecondarySettings.builder()
            .device(s.device())
            .peers(s.peers())
            .order(s.order())
            .peerKeys(s.peerKeys())
            .dataDir(dataDir)
            .storageBudget(s.storageBudget())
            .takeoverDelay(s.takeoverDelay())
            .link(link(s, dataDir))
            .connectWait(Duration.ofSeconds(5))
            .clock(clock);
    switch (s.path()) {
      case MODEM -> {
        b.modemPath(modem(s), () -> smtp(s));
        sms(s, b);
      }
      case INTERFACE -> b.interfacePath(s.bindAddress().orElseThrow(), () -> smtp(s));
      case NONE -> b.noPath();
    }
    s.inbound().ifPresent(in -> b.inbound(in.inbound()));
    return b.build();
  }

  static LinkSettings link(KuraSettings s, Path dataDir) {
    LinkSettings.Builder b =
        LinkSettings.builder()
            .brokerUrl(s.brokerUrl())
            .device(s.device())
            .role("secondary")
            .dataDir(dataDir);
    Optional<String> user = s.get("broker.username");
    if (user.isPresent()) {
      Secret password = s.secret("broker.password").orElse(Secret.of(new char[0]));
      b.credentials(user.get(), password::chars);
    }
    Optional<String> trustStore = s.get("broker.tls.truststore");
    if (trustStore.isPresent()) {
      b.socketFactory(
          trustStore(
              "broker.tls.truststore",
              Path.of(trustStore.get()),
              s.secret("broker.tls.truststore-password")));
    }
    return b.build();
  }

  /** The SMTP account of the form, before the path's route is applied. */
  static SmtpSettings.Builder smtp(KuraSettings s) {
    SmtpSettings.TlsMode tls =
        SmtpSettings.TlsMode.valueOf(s.get("smtp.tls").orElse("starttls").toUpperCase(Locale.ROOT));
    SmtpSettings.Builder b =
        SmtpSettings.builder()
            .host(s.get("smtp.host").orElseThrow())
            .tls(tls)
            .connectTimeout(s.smtpTimeout())
            .readTimeout(s.smtpTimeout())
            .writeTimeout(s.smtpTimeout())
            .ehloName(s.get("smtp.ehlo").orElse(s.device().value()));
    s.get("smtp.port").ifPresent(p -> b.port(Integer.parseInt(p)));
    Optional<String> user = s.get("smtp.username");
    if (user.isPresent()) {
      Secret password = s.secret("smtp.password").orElse(Secret.of(new char[0]));
      b.credentials(user.get(), password::chars);
    }
    Optional<String> trustStore = s.get("smtp.truststore");
    if (trustStore.isPresent()) {
      b.trustStore(
          Path.of(trustStore.get()),
          s.secret("smtp.truststore-password").map(Secret::chars).orElse(new char[0]));
    }
    return b;
  }

  /** The modem on its AT port with the SIM PIN and APN of the form, its GPIO lines and recovery. */
  static SecondarySettings.Modem modem(KuraSettings s) {
    ModemDialect dialect = dialect(s);
    try {
      return SecondarySettings.Modem.builder(serial(s), dialect, modemConfig(s))
          .poll(KuraSettings.duration("modem.poll", s.get("modem.poll").orElse("30s")))
          .recoveryAfter(s.get("modem.recovery-after").map(Integer::parseInt).orElse(3))
          .recoveryBackoff(
              KuraSettings.duration(
                  "modem.recovery-backoff", s.get("modem.recovery-backoff").orElse("30s")),
              KuraSettings.duration(
                  "modem.recovery-backoff-max", s.get("modem.recovery-backoff-max").orElse("30m")))
          .power(
              SecondarySettings.gpio(
                  dialect,
                  s.get("gpio.power-pin").map(Integer::valueOf).orElse(null),
                  s.get("gpio.reset-pin").map(Integer::valueOf).orElse(null)))
          .build();
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(m.startsWith("setting ") ? m : "setting " + m, e);
    }
  }

  private static void sms(KuraSettings s, SecondarySettings.Builder b) {
    Optional<String> numbers = s.get("sms.numbers");
    if (numbers.isEmpty()) {
      return;
    }
    List<String> list =
        Arrays.stream(numbers.get().split(","))
            .map(String::strip)
            .filter(n -> !n.isEmpty())
            .toList();
    try {
      b.sms(list, KuraSettings.duration("sms.delay", s.get("sms.delay").orElse("15m")));
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(m.startsWith("setting ") ? m : "setting " + m, e);
    }
  }

  private static ModemDialect dialect(KuraSettings s) {
    return ModemDialect.valueOf(s.get("modem.dialect").orElse("sim7600").toUpperCase(Locale.ROOT));
  }

  private static SerialSettings serial(KuraSettings s) {
    String port = s.get("modem.port").orElseThrow();
    int baud = s.get("modem.baud").map(Integer::parseInt).orElse(115200);
    try {
      return SerialSettings.of(port, baud, SerialSettings.FlowControl.NONE);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting 'modem.port' / 'modem.baud': " + e.getMessage());
    }
  }

  private static ModemConfig modemConfig(KuraSettings s) {
    ModemConfig.Builder b = ModemConfig.builder().apn(s.get("modem.apn").orElse(""));
    s.get("modem.apn-user")
        .ifPresent(
            user -> {
              b.username(user);
              b.auth(ModemConfig.Auth.PAP);
            });
    s.secret("modem.apn-password").ifPresent(p -> b.password(p.chars()));
    s.secret("modem.pin").ifPresent(p -> b.pin(p.chars()));
    return b.build();
  }

  /**
   * The trust store of setting {@code key} as a TLS socket factory, loaded by core's {@link
   * TrustStores}; a bad file or password fails with a sentence naming the setting and the file.
   */
  private static SSLSocketFactory trustStore(String key, Path file, Optional<Secret> password) {
    char[] pw = password.map(Secret::chars).orElse(new char[0]);
    try {
      return TrustStores.socketFactory(key, file, pw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "setting " + e.getMessage() + "; give a PKCS12 or JKS file and its password", e);
    } finally {
      Arrays.fill(pw, '\0');
    }
  }
}
