package io.twinpath.dongle.internal;

import io.twinpath.core.config.Secret;
import io.twinpath.core.tls.TrustStores;
import io.twinpath.dongle.DongleConfig;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;
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
      o.setSocketFactory(sslContext(b));
    }
    return o;
  }

  /** The TLS socket factory for an {@code ssl://} URL with a configured trust store, else null. */
  public static javax.net.@org.jspecify.annotations.Nullable SocketFactory sslSocketFactory(
      DongleConfig.Broker b, String url) throws IOException {
    if (url.startsWith("ssl://") && b.truststore() != null) {
      return sslContext(b);
    }
    return null;
  }

  /**
   * The configured trust store as a TLS socket factory, loaded by core's {@link TrustStores}.
   *
   * @throws IOException naming {@code broker.tls.truststore}, the file and what is wrong with it
   */
  private static SSLSocketFactory sslContext(DongleConfig.Broker b) throws IOException {
    Secret pw = b.truststorePassword();
    char[] chars = pw == null ? null : pw.chars();
    try {
      return TrustStores.socketFactory(
          "broker.tls.truststore", Objects.requireNonNull(b.truststore()), chars);
    } catch (IllegalArgumentException e) {
      throw new IOException("the broker trust store cannot be used: " + e.getMessage(), e);
    } finally {
      if (chars != null) {
        Arrays.fill(chars, '\0');
      }
    }
  }
}
