package io.twinpath.dongle.internal;

import io.twinpath.core.config.Secret;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.dongle.DongleConfig;
import java.net.InetAddress;
import java.util.Objects;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/** SMTP settings for the secondary's path: the configured account over the chosen route. */
public final class SmtpPaths {
  private SmtpPaths() {}

  /**
   * The account from the config, its sockets made by {@code sockets} (the modem's) or bound to
   * {@code bind} (a cellular interface's address); neither means the default route.
   */
  public static SmtpSettings settings(
      DongleConfig config, @Nullable SocketFactory sockets, @Nullable InetAddress bind) {
    SmtpSettings.Builder b = builder(config);
    if (sockets != null) {
      b.socketFactory(sockets);
    }
    if (bind != null) {
      b.localAddress(bind);
    }
    return b.build();
  }

  /** The account from the config, on no particular route yet. */
  public static SmtpSettings.Builder builder(DongleConfig config) {
    DongleConfig.Smtp s = config.smtp();
    SmtpSettings.Builder b =
        SmtpSettings.builder()
            .host(Objects.requireNonNull(s.host(), "smtp.host"))
            .port(s.port())
            .tls(s.tls())
            .connectTimeout(s.timeout())
            .readTimeout(s.timeout())
            .writeTimeout(s.timeout())
            .ehloName(s.ehlo() != null ? s.ehlo() : config.device().value());
    String user = s.username();
    if (user != null) {
      Secret pw = s.password();
      b.credentials(user, () -> pw == null ? new char[0] : pw.chars());
    }
    if (s.truststore() != null) {
      Secret tp = s.truststorePassword();
      b.trustStore(Objects.requireNonNull(s.truststore()), tp == null ? new char[0] : tp.chars());
    }
    return b;
  }
}
