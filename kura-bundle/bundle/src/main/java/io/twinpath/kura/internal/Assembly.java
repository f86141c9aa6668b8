package io.twinpath.kura.internal;

import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.wire.LinkSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns the form's settings into the parts the engine is built from: the broker link, the SMTP
 * sender of this gateway's path, the coordinator's timing. Holds no logic beyond that mapping.
 */
final class Assembly {
  private Assembly() {}

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
          sslContext(
                  "broker.tls.truststore",
                  Path.of(trustStore.get()),
                  s.secret("broker.tls.truststore-password"))
              .getSocketFactory());
    }
    return b.build();
  }

  static CoordinatorSettings coordinator(KuraSettings s) {
    return CoordinatorSettings.builder().takeoverDelay(s.takeoverDelay()).build();
  }

  /** The SMTP account over this gateway's path, with the path's socket source applied. */
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
    s.bindAddress().ifPresent(b::localAddress);
    return b;
  }

  static SmtpSender sender(SmtpSettings settings) {
    return SmtpSender.create(settings);
  }

  private static SSLContext sslContext(String key, Path file, Optional<Secret> password) {
    char[] pw = password.map(Secret::chars).orElse(new char[0]);
    try {
      KeyStore ks = KeyStore.getInstance(file.toFile(), pw);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "setting '"
              + key
              + "' = '"
              + file
              + "' cannot be used as a trust store ("
              + e.getMessage()
              + "); give a PKCS12 or JKS file and its password",
          e);
    } finally {
      java.util.Arrays.fill(pw, '\0');
    }
  }
}
