package io.twinpath.dongle.internal;

import io.twinpath.core.event.TwinpathListener;
import io.twinpath.dongle.DongleConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded broker answering. Every {@code interval} it sends a real MQTT CONNECT to its
 * own broker, once for each of Moquette's session threads ({@link BrokerProbe}); when a probe is
 * not answered within {@code timeout} {@code misses} times in a row, or at once when Moquette
 * reports a session thread that died, it logs one line, stops the broker, starts it again on the
 * same address and ports, and tells the listener ({@link TwinpathListener#brokerRestarted}).
 * Clients reconnect by themselves.
 */
public final class BrokerWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);

  /** The defaults the dongle runs with. */
  public static final Duration INTERVAL = Duration.ofSeconds(5);

  public static final Duration TIMEOUT = Duration.ofSeconds(3);
  public static final int MISSES = 3;

  private final DongleConfig.Broker config;
  private final TwinpathListener listener;
  private final Clock clock;
  private final Duration timeout;
  private final int misses;
  private final List<String> probeIds;
  private final SocketFactory sockets;
  private final ScheduledExecutorService timer;
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();
  private volatile EmbeddedBroker broker;
  private volatile @Nullable String lastRestart;
  private volatile @Nullable String threadDied;
  private int missed;
  private volatile boolean closed;

  private BrokerWatch(
      DongleConfig.Broker config,
      String probePrefix,
      TwinpathListener listener,
      Clock clock,
      Duration timeout,
      int misses)
      throws IOException {
    this.listener = listener;
    this.clock = clock;
    this.timeout = timeout;
    this.misses = misses;
    this.probeIds = BrokerProbe.idsForEverySessionThread(probePrefix);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twinpath-broker-watch");
              t.setDaemon(true);
              return t;
            });
    this.broker = EmbeddedBroker.start(config, this::sessionThreadDied);
    // a restart takes the ports this start got, also when the configuration said "any free port"
    this.config =
        new DongleConfig.Broker(
            config.mode(),
            broker.url(),
            config.listenAddress(),
            config.listenPort() < 0 ? -1 : broker.port(),
            config.tlsPort() < 0 ? -1 : broker.tlsPort(),
            config.keystore(),
            config.keystorePassword(),
            config.truststore(),
            config.truststorePassword(),
            config.username(),
            config.password(),
            config.maxMessageSize());
    this.sockets = broker.port() >= 0 ? SocketFactory.getDefault() : tlsSockets(config);
  }

  /**
   * Starts the broker and its watch.
   *
   * @param probePrefix client ids of the probes start with this (e.g. {@code
   *     twinpath-probe-dongle-})
   */
  public static BrokerWatch start(
      DongleConfig.Broker config,
      String probePrefix,
      TwinpathListener listener,
      Clock clock,
      Duration interval,
      Duration timeout,
      int misses)
      throws IOException {
    BrokerWatch w = new BrokerWatch(config, probePrefix, listener, clock, timeout, misses);
    w.timer.scheduleWithFixedDelay(
        w::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return w;
  }

  /** The URL local clients use (the same after a restart). */
  public String url() {
    return config.url();
  }

  /** Clients connected now. */
  public int connectedClients() {
    return broker.connectedClients();
  }

  /** Times the broker was restarted because it stopped answering. */
  public long restarts() {
    return restarts.get();
  }

  /** When and why the broker was last restarted, or null. */
  public @Nullable String lastRestart() {
    return lastRestart;
  }

  private void sessionThreadDied(Throwable e) {
    long gen = generation.get();
    threadDied = "lost a session thread to " + rootOf(e);
    if (!closed) {
      try {
        timer.execute(
            () -> {
              if (generation.get() == gen) {
                check();
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // closed meanwhile
      }
    }
  }

  private static String rootOf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  /** One round of probes; restarts the broker when it has missed too many. */
  private void check() {
    if (closed) {
      return;
    }
    try {
      String host = probeHost();
      int port = broker.port() >= 0 ? broker.port() : broker.tlsPort();
      String problem =
          BrokerProbe.check(
              host, port, sockets, probeIds, config.username(), config.password(), timeout);
      if (problem == null) {
        missed = 0;
        return;
      }
      missed++;
      String died = threadDied;
      if (missed < misses && died == null) {
        LOG.debug("the broker at {} {} ({} of {})", url(), problem, missed, misses);
        return;
      }
      String reason = problem + (died == null ? "" : " (it " + died + ")");
      restart(reason);
    } catch (RuntimeException e) {
      LOG.warn("checking the embedded broker failed: {}", e.toString());
    }
  }

  private String probeHost() {
    InetAddress a = config.listenAddress();
    return a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
  }

  private void restart(String reason) {
    LOG.warn(
        "the embedded MQTT broker at {} {}; restarting it on the same address and ports",
        url(),
        reason);
    generation.incrementAndGet();
    threadDied = null;
    missed = 0;
    broker.close();
    IOException last = null;
    for (int attempt = 0; attempt < 50 && !closed; attempt++) {
      try {
        broker = EmbeddedBroker.start(config, this::sessionThreadDied);
        long n = restarts.incrementAndGet();
        lastRestart = Instant.now(clock) + ": " + reason;
        LOG.info("the embedded MQTT broker listens again at {} (restart {})", url(), n);
        listener.brokerRestarted(url(), reason);
        return;
      } catch (IOException | RuntimeException e) {
        last = e instanceof IOException io ? io : new IOException(e);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
    if (!closed) {
      LOG.error(
          "the embedded MQTT broker cannot listen at {} again: {}; trying at the next check",
          url(),
          last == null ? "stopped" : last.getMessage());
    }
  }

  /** For a broker with only its TLS listener: probes trust it, since it is this process's own. */
  private static SocketFactory tlsSockets(DongleConfig.Broker b) throws IOException {
    SocketFactory configured = BrokerClients.sslSocketFactory(b, "ssl://");
    if (configured != null) {
      return configured;
    }
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new OwnListener()}, null);
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS for the broker's health check: " + e, e);
    }
  }

  /** Trusts the certificate of the listener this process opened itself. */
  private static final class OwnListener implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    broker.close();
  }
}
