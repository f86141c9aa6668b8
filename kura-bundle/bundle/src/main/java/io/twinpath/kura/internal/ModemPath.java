package io.twinpath.kura.internal;

import io.twinpath.hw.modem.Modem;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.modem.ModemHealth;
import io.twinpath.hw.serial.SerialBytePipe;
import io.twinpath.hw.serial.SerialSettings;
import java.io.IOException;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * This gateway's route for SMTP through the modem's own TCP stack: the AT driver on the configured
 * port, with the SIM PIN and APN of the form. The SMTP sessions' sockets come from {@link
 * #socketFactory()}; TLS runs in Java over them.
 */
final class ModemPath implements AutoCloseable {
  private final Modem modem;

  private ModemPath(Modem modem) {
    this.modem = modem;
  }

  /**
   * Checks the modem settings without touching the port.
   *
   * @throws IllegalArgumentException naming the setting and what is accepted
   */
  static void validate(KuraSettings s) {
    serial(s);
    config(s);
  }

  /** Opens the AT port and starts the driver; no command is sent yet. */
  static ModemPath open(KuraSettings s) throws IOException {
    return new ModemPath(Modem.open(SerialBytePipe.open(serial(s)), dialect(s), config(s)));
  }

  /** SIM, registration, data context: what a first start or a recovery needs. */
  ModemHealth bringUp() throws IOException {
    return modem.bringUp();
  }

  SocketFactory socketFactory() {
    return modem.socketFactory();
  }

  @Override
  public void close() {
    modem.close();
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

  private static ModemConfig config(KuraSettings s) {
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
}
