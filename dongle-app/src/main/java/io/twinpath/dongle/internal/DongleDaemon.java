package io.twinpath.dongle.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.status.Presence;
import java.io.IOException;
import java.time.Clock;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;

/** The running secondary: its broker (when embedded) and its presence. */
public final class DongleDaemon implements AutoCloseable {
  private final @Nullable EmbeddedBroker broker;
  private final Presence presence;
  private final String brokerUrl;

  private DongleDaemon(@Nullable EmbeddedBroker broker, Presence presence, String brokerUrl) {
    this.broker = broker;
    this.presence = presence;
    this.brokerUrl = brokerUrl;
  }

  /** Starts the embedded broker on {@code host:port} and announces the device. */
  public static DongleDaemon startEmbedded(String host, int port, DeviceId device, Clock clock)
      throws IOException, MqttException {
    EmbeddedBroker broker = EmbeddedBroker.start(host, port);
    try {
      Presence presence = Presence.announce(broker.url(), device, "secondary", clock);
      return new DongleDaemon(broker, presence, broker.url());
    } catch (MqttException | RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  public String brokerUrl() {
    return brokerUrl;
  }

  @Override
  public synchronized void close() {
    presence.close();
    EmbeddedBroker b = broker;
    if (b != null) {
      b.close();
    }
  }
}
