package io.twinpath.kura.internal;

import io.twinpath.core.config.Secret;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.tls.TrustStores;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.secondary.SecondarySettings;
import io.twinpath.secondary.SettingsTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
    Optional<String> user = s.value(SettingsTable.BROKER_USERNAME);
    if (user.isPresent()) {
      Secret password = s.secret("broker.password").orElse(Secret.of(new char[0]));
      b.credentials(user.get(), password::chars);
    }
    Optional<String> trustStore = s.value(SettingsTable.BROKER_TLS_TRUSTSTORE);
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
    Duration timeout = s.smtpTimeout();
    SmtpSettings.Builder b =
        SmtpSettings.builder()
            .host(s.value(SettingsTable.SMTP_HOST).orElseThrow())
            .tls(s.value(SettingsTable.SMTP_TLS).orElseThrow())
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .ehloName(s.value(SettingsTable.SMTP_EHLO).orElse(s.device().value()));
    s.value(SettingsTable.SMTP_PORT).ifPresent(b::port);
    Optional<String> user = s.value(SettingsTable.SMTP_USERNAME);
    if (user.isPresent()) {
      Secret password = s.secret("smtp.password").orElse(Secret.of(new char[0]));
      b.credentials(user.get(), password::chars);
    }
    Optional<String> trustStore = s.value(SettingsTable.SMTP_TRUSTSTORE);
    if (trustStore.isPresent()) {
      b.trustStore(
          Path.of(trustStore.get()),
          s.secret("smtp.truststore-password").map(Secret::chars).orElse(new char[0]));
    }
    return b;
  }

  /** The modem on its AT port with the SIM PIN and APN of the form, its GPIO lines and recovery. */
  static SecondarySettings.Modem modem(KuraSettings s) {
    ModemDialect dialect = s.value(SettingsTable.MODEM_DIALECT).orElseThrow();
    try {
      return SecondarySettings.Modem.builder(serial(s), dialect, modemConfig(s))
          .poll(s.value(SettingsTable.MODEM_POLL).orElseThrow())
          .recoveryAfter(s.value(SettingsTable.MODEM_RECOVERY_AFTER).orElseThrow())
          .recoveryBackoff(
              s.value(SettingsTable.MODEM_RECOVERY_BACKOFF).orElseThrow(),
              s.value(SettingsTable.MODEM_RECOVERY_BACKOFF_MAX).orElseThrow())
          .power(
              SecondarySettings.gpio(
                  dialect,
                  s.value(SettingsTable.GPIO_POWER_PIN).orElse(null),
                  s.value(SettingsTable.GPIO_RESET_PIN).orElse(null)))
          .build();
    } catch (SettingException e) {
      throw e.source().isEmpty() ? e.at(KuraSettings.SOURCE) : e;
    }
  }

  private static void sms(KuraSettings s, SecondarySettings.Builder b) {
    List<String> numbers = s.value(SettingsTable.SMS_NUMBERS).orElse(List.of());
    if (numbers.isEmpty()) {
      return;
    }
    try {
      b.sms(numbers, s.value(SettingsTable.SMS_DELAY).orElseThrow());
    } catch (SettingException e) {
      throw e.source().isEmpty() ? e.at(KuraSettings.SOURCE) : e;
    }
  }

  private static SerialSettings serial(KuraSettings s) {
    String port = s.value(SettingsTable.MODEM_PORT).orElseThrow();
    int baud = s.value(SettingsTable.MODEM_BAUD).orElseThrow();
    try {
      return SerialSettings.of(port, baud, SerialSettings.FlowControl.NONE);
    } catch (IllegalArgumentException e) {
      throw new SettingException("modem.port", port, String.valueOf(e.getMessage()))
          .at(KuraSettings.SOURCE);
    }
  }

  private static ModemConfig modemConfig(KuraSettings s) {
    ModemConfig.Builder b = ModemConfig.builder().apn(s.value(SettingsTable.MODEM_APN).orElse(""));
    s.value(SettingsTable.MODEM_APN_USER)
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
