package io.twinpath.dongle.internal;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.PermitAllAuthorizatorPolicy;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptExceptionMessage;
import io.twinpath.core.config.Secret;
import io.twinpath.dongle.DongleConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker the dongle ships with (Moquette), so the first run needs nothing else. Listens on
 * the configured address (e.g. the USB network interface), optionally with TLS, and requires the
 * configured user name and password when one is set.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

  private final Server server;
  private final String url;
  private final int port;
  private final int tlsPort;

  private EmbeddedBroker(Server server, String url, int port, int tlsPort) {
    this.server = server;
    this.url = url;
    this.port = port;
    this.tlsPort = tlsPort;
  }

  /** Starts the broker described by {@code b} (which must be in embedded mode). */
  public static EmbeddedBroker start(DongleConfig.Broker b) throws IOException {
    return start(b, e -> {});
  }

  /**
   * Starts the broker described by {@code b}; {@code sessionThreadDied} hears of each of Moquette's
   * session threads that ends on an exception (the clients it serves get no answer from then on).
   * It is called on the dying thread and must return at once.
   */
  public static EmbeddedBroker start(DongleConfig.Broker b, Consumer<Throwable> sessionThreadDied)
      throws IOException {
    if (b.mode() != DongleConfig.BrokerMode.EMBEDDED) {
      throw new IllegalArgumentException("the broker is external: " + b.url());
    }
    // Netty sizes its event loops from this property (default: 2 per CPU); two suffice here.
    if (System.getProperty("io.netty.eventLoopThreads") == null) {
      System.setProperty("io.netty.eventLoopThreads", "1");
    }
    Properties p = new Properties();
    p.setProperty(IConfig.HOST_PROPERTY_NAME, b.listenAddress().getHostAddress());
    p.setProperty(
        IConfig.PORT_PROPERTY_NAME,
        b.listenPort() < 0 ? "disabled" : Integer.toString(b.listenPort()));
    p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
    p.setProperty("netty.mqtt.message_size", Integer.toString(b.maxMessageSize()));
    p.setProperty("intercept.thread_pool.size", "1");
    p.setProperty("immediate_buffer_flush", "true");
    boolean auth = b.username() != null;
    p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, Boolean.toString(!auth));
    if (b.tlsPort() >= 0 && b.keystore() != null) {
      String ks = String.valueOf(b.keystore());
      Secret pw = b.keystorePassword();
      String pass = pw == null ? "" : new String(pw.chars());
      p.setProperty("ssl_port", Integer.toString(b.tlsPort()));
      p.setProperty("jks_path", ks);
      String lower = ks.toLowerCase(Locale.ROOT);
      p.setProperty(
          "key_store_type", lower.endsWith(".p12") || lower.endsWith(".pfx") ? "pkcs12" : "jks");
      p.setProperty("key_store_password", pass);
      p.setProperty("key_manager_password", pass);
    }
    // Moquette logs a failed bind and carries on; try each port first to report the real reason.
    probe(b, b.listenPort());
    probe(b, b.tlsPort());
    Server server = new Server();
    IAuthenticator authenticator = new PasswordAuthenticator(b.username(), b.password());
    server.startServer(
        new MemoryConfig(p),
        List.of(new SessionThreadWatch(sessionThreadDied)),
        null,
        authenticator,
        new PermitAllAuthorizatorPolicy());
    int port;
    int tlsPort;
    try {
      port = bound(b.listenPort(), server::getPort, "plain");
      tlsPort = bound(b.tlsPort(), server::getSslPort, "TLS");
    } catch (IOException e) {
      server.stopServer();
      throw e;
    }
    String host = b.url().substring(b.url().indexOf("://") + 3, b.url().lastIndexOf(':'));
    String url = port >= 0 ? "tcp://" + host + ":" + port : "ssl://" + host + ":" + tlsPort;
    LOG.info(
        "embedded MQTT broker listening on {}{}{}",
        b.listenAddress().getHostAddress(),
        port >= 0 ? " port " + port : "",
        tlsPort >= 0 ? " TLS port " + tlsPort : "");
    return new EmbeddedBroker(server, url, port, tlsPort);
  }

  private static void probe(DongleConfig.Broker b, int port) throws IOException {
    if (port <= 0) {
      return;
    }
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(b.listenAddress(), port));
    }
  }

  /**
   * The port a listener is on: the configured one, or for port 0 the one Moquette reports (it does
   * so asynchronously, and reports 0 for a configured port).
   */
  private static int bound(int configured, java.util.function.IntSupplier port, String which)
      throws IOException {
    if (configured != 0) {
      return configured;
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      int p;
      try {
        p = port.getAsInt();
      } catch (java.util.ConcurrentModificationException e) {
        // Moquette keeps the bound ports in a plain HashMap that its Netty thread fills in
        p = 0;
      }
      if (p > 0) {
        return p;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
    }
    throw new IOException(
        "the " + which + " listener did not come up (see the log above for the reason)");
  }

  /** The URL local clients use. */
  public String url() {
    return url;
  }

  /** The plain port actually bound, -1 when off. */
  public int port() {
    return port;
  }

  /** The TLS port actually bound, -1 when off. */
  public int tlsPort() {
    return tlsPort;
  }

  /** How many clients are connected now. */
  public int connectedClients() {
    return server.listConnectedClients().size();
  }

  @Override
  public void close() {
    server.stopServer();
  }

  /** Hears of session threads that die. */
  private static final class SessionThreadWatch extends AbstractInterceptHandler {
    private final Consumer<Throwable> died;

    SessionThreadWatch(Consumer<Throwable> died) {
      this.died = died;
    }

    @Override
    public String getID() {
      return "twinpath-session-thread-watch";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
      return new Class<?>[] {InterceptExceptionMessage.class};
    }

    @Override
    public void onSessionLoopError(Throwable error) {
      died.accept(error);
    }
  }

  /** Accepts exactly the configured user name and password; anyone when none is configured. */
  static final class PasswordAuthenticator implements IAuthenticator {
    private final @Nullable String username;
    private final @Nullable Secret password;

    PasswordAuthenticator(@Nullable String username, @Nullable Secret password) {
      this.username = username;
      this.password = password;
    }

    @Override
    public boolean checkValid(
        @Nullable String clientId, @Nullable String user, byte @Nullable [] pass) {
      if (username == null) {
        return true;
      }
      if (!username.equals(user)) {
        LOG.warn("refused an MQTT client '{}' with an unknown user name", clientId);
        return false;
      }
      Secret expected = password;
      if (expected == null) {
        return true;
      }
      char[] given = decode(pass);
      try {
        boolean ok = expected.matches(given);
        if (!ok) {
          LOG.warn("refused MQTT client '{}': wrong password for user '{}'", clientId, user);
        }
        return ok;
      } finally {
        Arrays.fill(given, '\0');
      }
    }

    private static char[] decode(byte @Nullable [] pass) {
      if (pass == null) {
        return new char[0];
      }
      try {
        CharBuffer cb = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(pass));
        char[] out = new char[cb.remaining()];
        cb.get(out);
        return out;
      } catch (CharacterCodingException e) {
        return new char[0];
      }
    }
  }
}
