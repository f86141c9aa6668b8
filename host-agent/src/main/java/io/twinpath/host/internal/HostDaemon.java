package io.twinpath.host.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.status.Presence;
import java.time.Clock;
import org.eclipse.paho.client.mqttv3.MqttException;

/** The running host: its MQTT presence now, its spool and paths as they land. */
public final class HostDaemon implements AutoCloseable {
  private final Presence presence;

  private HostDaemon(Presence presence) {
    this.presence = presence;
  }

  public static HostDaemon start(String brokerUrl, DeviceId device, Clock clock)
      throws MqttException {
    return new HostDaemon(Presence.announce(brokerUrl, device, "host", clock));
  }

  public boolean isOnline() {
    return presence.isConnected();
  }

  @Override
  public synchronized void close() {
    presence.close();
  }
}
