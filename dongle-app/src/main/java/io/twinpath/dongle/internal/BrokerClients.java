package io.twinpath.dongle.internal;

import io.twinpath.dongle.DongleConfig;
import io.twinpath.dongle.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/** Connect options for this device's MQTT clients: credentials and trust from the config. */
public final class BrokerClients {
  private BrokerClients() {}

  /** Options with user name, password and (for {@code ssl://}) the configured trust store. */
  public static MqttConnectOptions options(DongleConfig.Broker b) throws IOException {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setConnectionTimeout(10);
    o.setKeepAliveInterval(15);
    String user = b.username();
    if (user != null) {
      o.setUserName(user);
      Secret pw = b.password();
      o.setPassword(pw == null ? new char[0] : pw.chars());
    }
    if (b.url().startsWith("ssl://") && b.truststore() != null) {
      o.setSocketFactory(sslContext(b).getSocketFactory());
    }
    return o;
  }

  /** The TLS socket factory for an {@code ssl://} URL with a configured trust store, else null. */
  public static javax.net.@org.jspecify.annotations.Nullable SocketFactory sslSocketFactory(
      DongleConfig.Broker b, String url) throws IOException {
    if (url.startsWith("ssl://") && b.truststore() != null) {
      return sslContext(b).getSocketFactory();
    }
    return null;
  }

  private static SSLContext sslContext(DongleConfig.Broker b) throws IOException {
    try (InputStream in = Files.newInputStream(java.util.Objects.requireNonNull(b.truststore()))) {
      Secret pw = b.truststorePassword();
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, pw == null ? null : pw.chars());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "the broker trust store " + b.truststore() + " cannot be used: " + e.getMessage(), e);
    }
  }
}
