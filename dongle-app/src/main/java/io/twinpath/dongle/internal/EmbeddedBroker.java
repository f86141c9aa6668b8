package io.twinpath.dongle.internal;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.util.Properties;

/** The MQTT broker the dongle ships with, so the first run needs nothing else. */
public final class EmbeddedBroker implements AutoCloseable {
  private final Server server;
  private final String host;
  private final int port;

  private EmbeddedBroker(Server server, String host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /** Starts listening on {@code host:port}. */
  public static EmbeddedBroker start(String host, int port) throws IOException {
    Properties p = new Properties();
    p.setProperty(IConfig.HOST_PROPERTY_NAME, host);
    p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
    p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
    Server server = new Server();
    server.startServer(new MemoryConfig(p));
    // Moquette 0.17 reports 0 from getPort() after binding a configured port
    int bound = server.getPort();
    return new EmbeddedBroker(server, host, bound > 0 ? bound : port);
  }

  public String url() {
    return "tcp://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
