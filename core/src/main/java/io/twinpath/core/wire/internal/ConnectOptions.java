package io.twinpath.core.wire.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.Topics;
import java.time.Clock;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * The Paho connect options of an {@link MqttLink}: a persistent session, no automatic reconnect,
 * the link's timeouts and in-flight limit, credentials, the socket factory (plain or TLS, both
 * clearing the DUP flag of what Paho sends again: {@link ResendFlagFilter}), and the {@code
 * offline} will of connection {@code conn}.
 */
public final class ConnectOptions {
  private ConnectOptions() {}

  public static MqttConnectOptions of(LinkSettings settings, long conn, Clock clock) {
    return of(settings, conn, clock, new JsonObject());
  }

  /** The options, with {@code stateFields} added to the will's state. */
  public static MqttConnectOptions of(
      LinkSettings settings, long conn, Clock clock, JsonObject stateFields) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    o.setAutomaticReconnect(false);
    o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
    o.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
    o.setMaxInflight(settings.maxInflight() + 8);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setWill(
        Topics.state(settings.device()),
        MqttLink.statePayload(
            settings.device(), settings.role(), "offline", conn, clock, stateFields),
        1,
        true);
    String user = settings.username();
    if (user != null) {
      o.setUserName(user);
      var pw = settings.password();
      if (pw != null) {
        o.setPassword(pw.get());
      }
    }
    if (settings.socketFactory() instanceof SSLSocketFactory tls) {
      o.setSocketFactory(new ResendFlagSslSockets(tls));
    } else if (settings.socketFactory() != null) {
      o.setSocketFactory(settings.socketFactory());
    } else if (settings.brokerUrl().startsWith("tcp:")) {
      o.setSocketFactory(new NoDelaySocketFactory());
    }
    return o;
  }
}
