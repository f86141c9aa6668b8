package io.twinpath.dongle.internal;

import io.twinpath.core.config.Secret;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.dongle.DongleConfig;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.secondary.SecondarySettings;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;

/** Maps the dongle's config file onto the shared secondary's settings. */
public final class NodeSettings {
  private NodeSettings() {}

  /**
   * The settings for a secondary on broker {@code url} (the embedded broker's, or the configured
   * external one).
   */
  public static SecondarySettings.Builder of(DongleConfig config, String url, Clock clock)
      throws IOException {
    SecondarySettings.Builder b =
        SecondarySettings.builder()
            .device(config.device())
            .peers(config.peers())
            .order(config.order())
            .dataDir(config.dataDir())
            .storageBudget(config.storageBudget())
            .takeoverDelay(config.takeoverDelay())
            .link(link(config, url))
            .clock(clock);
    switch (config.path()) {
      case MODEM -> b.modemPath(modem(config), () -> SmtpPaths.builder(config));
      case INTERFACE ->
          b.interfacePath(
              Objects.requireNonNull(config.bindAddress(), "path.bind-address"),
              () -> SmtpPaths.builder(config));
      case NONE -> b.noPath();
    }
    if (config.path() == SecondarySettings.PathKind.MODEM && config.sms().enabled()) {
      b.sms(config.sms().numbers(), config.sms().delay());
    }
    config.inbound().ifPresent(in -> b.inbound(in.inbound()));
    return b;
  }

  /** The modem with its recovery settings and GPIO lines. */
  public static SecondarySettings.Modem modem(DongleConfig config) {
    DongleConfig.Modem m = config.modem();
    return SecondarySettings.Modem.builder(
            serial(config), dialect(config), modemConfig(config).build())
        .poll(m.poll())
        .recoveryAfter(m.recoveryAfter())
        .recoveryBackoff(m.recoveryBackoff(), m.recoveryBackoffMax())
        .power(
            SecondarySettings.gpio(
                dialect(config),
                m.powerPin().isPresent() ? m.powerPin().getAsInt() : null,
                m.resetPin().isPresent() ? m.resetPin().getAsInt() : null))
        .build();
  }

  public static SerialSettings serial(DongleConfig config) {
    return SerialSettings.of(
        Objects.requireNonNull(config.modem().port(), "modem.port"),
        config.modem().baud(),
        SerialSettings.FlowControl.NONE);
  }

  public static ModemDialect dialect(DongleConfig config) {
    return config.modem().dialect();
  }

  public static ModemConfig.Builder modemConfig(DongleConfig config) {
    DongleConfig.Modem m = config.modem();
    ModemConfig.Builder b = ModemConfig.builder().apn(m.apn());
    if (m.apnUser() != null) {
      b.username(Objects.requireNonNull(m.apnUser()));
    }
    Secret pw = m.apnPassword();
    if (pw != null) {
      b.password(pw.chars());
    }
    Secret pin = m.pin();
    if (pin != null) {
      b.pin(pin.chars());
    }
    return b;
  }

  static LinkSettings link(DongleConfig config, String url) throws IOException {
    LinkSettings.Builder l =
        LinkSettings.builder()
            .brokerUrl(url)
            .device(config.device())
            .role("secondary")
            .dataDir(config.dataDir());
    DongleConfig.Broker b = config.broker();
    String user = b.username();
    if (user != null) {
      Secret pw = b.password();
      l.credentials(user, () -> pw == null ? new char[0] : pw.chars());
    }
    javax.net.SocketFactory tls = BrokerClients.sslSocketFactory(b, url);
    if (tls != null) {
      l.socketFactory(tls);
    }
    return l.build();
  }
}
