package io.twinpath.hw.modem.internal;

import io.twinpath.hw.Sleeper;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemException;
import io.twinpath.hw.modem.internal.AtEngine.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection made by the modem, behind the {@link SocketImpl} contract so that a plain {@link
 * java.net.Socket} (and TLS layered on it) works unchanged. Reads pull from the modem's buffer when
 * a URC says data waits (and poll once a second in case a URC was lost); writes go out in chunks of
 * the dialect's size.
 */
public final class ModemSocketImpl extends SocketImpl {
  private static final Logger LOG = LoggerFactory.getLogger(ModemSocketImpl.class);
  private static final long POLL_NANOS = Duration.ofSeconds(1).toNanos();
  private static final int FULL_BUFFER_RETRIES = 100;

  private final AtEngine engine;
  private final Dialect dialect;
  private final ModemConfig config;
  private final ModemState state;
  private final Sleeper sleeper;
  private @Nullable Link link;
  private @Nullable Exchange session;
  private String remote = "(not connected)";
  private volatile int soTimeout;
  private volatile boolean closed;
  private volatile boolean inputShut;
  private volatile boolean outputShut;
  private final Object writeLock = new Object();
  private final Object readLock = new Object();

  public ModemSocketImpl(
      AtEngine engine, Dialect dialect, ModemConfig config, ModemState state, Sleeper sleeper) {
    this.engine = engine;
    this.dialect = dialect;
    this.config = config;
    this.state = state;
    this.sleeper = sleeper;
  }

  private Duration busyWait() {
    return config.connectTimeout().plus(config.dataTimeout());
  }

  @Override
  protected void create(boolean stream) throws IOException {
    if (!stream) {
      throw new SocketException("a modem socket is a TCP stream; datagrams are not supported");
    }
  }

  @Override
  protected void connect(String host, int port) throws IOException {
    connect(InetSocketAddress.createUnresolved(host, port), 0);
  }

  @Override
  protected void connect(InetAddress address, int port) throws IOException {
    connect(new InetSocketAddress(address, port), 0);
  }

  @Override
  protected void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
    if (!(endpoint instanceof InetSocketAddress isa)) {
      throw new SocketException("a modem socket connects to an InetSocketAddress, not " + endpoint);
    }
    String host = isa.getHostString();
    int port = isa.getPort();
    checkHost(host);
    if (port < 1 || port > 65535) {
      throw new SocketException("port " + port + " is not accepted; use 1 to 65535");
    }
    String lost = state.contextLost();
    if (lost != null) {
      throw new SocketException(
          "cannot open a TCP link to "
              + host
              + ":"
              + port
              + ": the modem's data context is down ("
              + lost
              + ")");
    }
    ModemConfig c = config;
    if (timeoutMillis > 0) {
      c = config.toBuilder().connectTimeout(Duration.ofMillis(timeoutMillis)).build();
    }
    // all sockets busy: wait for one, up to the connect timeout, rather than fail the attempt
    Link l = state.allocate(c.connectTimeout());
    boolean kept = false;
    Exchange ex = engine.acquire(busyWait(), dialect.claims());
    try {
      if (config.transparent()) {
        ex.rawSink(l);
        dialect.openTransparent(ex, l.id(), host, port, c);
        session = ex;
        kept = true;
      } else {
        dialect.open(ex, l.id(), host, port, c);
      }
      link = l;
      remote = host + ":" + port;
      // the modem resolved the name; Jakarta Mail asks getInetAddress().getHostName() of the
      // socket, so keep the name with a placeholder address instead of null (no local lookup)
      InetAddress resolved = isa.getAddress();
      this.address =
          resolved != null ? resolved : InetAddress.getByAddress(host, new byte[] {0, 0, 0, 0});
      this.port = port;
      LOG.debug("modem link {} open to {}", l.id(), remote);
    } catch (ModemException e) {
      if (e.isTimeout()) {
        throw new SocketTimeoutException(e.getMessage());
      }
      throw e;
    } finally {
      if (!kept) {
        ex.rawSink(null);
        ex.close();
      }
      if (link == null) {
        state.free(l);
      }
    }
  }

  private static void checkHost(String host) throws SocketException {
    if (host.isEmpty() || host.length() > 253) {
      throw new SocketException("host name '" + host + "' is not accepted (1 to 253 characters)");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',') {
        throw new SocketException(
            "host name '" + host + "' contains a character that cannot go in an AT command");
      }
    }
  }

  private Link link() throws SocketException {
    Link l = link;
    if (closed) {
      throw new SocketException("Socket closed");
    }
    if (l == null) {
      throw new SocketException("Socket is not connected");
    }
    return l;
  }

  int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    synchronized (readLock) {
      Link l = link();
      if (inputShut) {
        return -1;
      }
      int timeout = soTimeout;
      long deadline = timeout > 0 ? System.nanoTime() + Link.nanos(timeout) : Long.MAX_VALUE;
      while (true) {
        int n = l.take(b, off, len);
        if (n > 0) {
          return n;
        }
        checkLost(l);
        if (closed) {
          throw new SocketException("Socket closed");
        }
        if (session == null) {
          l.clearReady();
          byte[] tmp = new byte[dialect.maxRead()];
          n = pull(l, tmp, 0, tmp.length);
          if (n > 0) {
            l.offer(tmp, 0, n);
            continue;
          }
        }
        if (l.remoteClosedReason() != null) {
          return -1;
        }
        long now = System.nanoTime();
        boolean changed;
        try {
          changed = now < deadline && l.await(Math.min(deadline - now, POLL_NANOS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted reading modem link " + l.id());
        }
        if (!changed && System.nanoTime() >= deadline) {
          throw new SocketTimeoutException(
              "Read timed out: no data on modem link "
                  + l.id()
                  + " to "
                  + remote
                  + " within "
                  + timeout
                  + " ms");
        }
      }
    }
  }

  private int pull(Link l, byte[] b, int off, int len) throws IOException {
    try (Exchange ex = engine.acquire(busyWait(), dialect.claims())) {
      return dialect.read(ex, l.id(), b, off, len);
    } catch (ModemException e) {
      checkLost(l);
      throw new IOException(
          "reading modem link " + l.id() + " to " + remote + " failed: " + e.getMessage(), e);
    }
  }

  private void checkLost(Link l) throws IOException {
    String lost = l.lostReason();
    if (lost != null) {
      throw new IOException("the connection to " + remote + " through the modem was lost: " + lost);
    }
  }

  void write(byte[] b, int off, int len) throws IOException {
    synchronized (writeLock) {
      Link l = link();
      if (outputShut) {
        throw new SocketException("Socket output is shut down");
      }
      int retries = 0;
      while (len > 0) {
        checkLost(l);
        String rc = l.remoteClosedReason();
        if (rc != null) {
          throw new SocketException(
              "cannot send to " + remote + " on modem link " + l.id() + ": " + rc);
        }
        int chunk = Math.min(len, dialect.maxSend());
        int n;
        Exchange s = session;
        if (s != null) {
          s.writeRaw(b, off, chunk);
          n = chunk;
        } else {
          try (Exchange ex = engine.acquire(busyWait(), dialect.claims())) {
            n = dialect.send(ex, l.id(), b, off, chunk);
          } catch (ModemException e) {
            checkLost(l);
            rc = l.remoteClosedReason();
            throw new IOException(
                "sending on modem link "
                    + l.id()
                    + " to "
                    + remote
                    + " failed: "
                    + (rc != null ? rc + "; " : "")
                    + e.getMessage(),
                e);
          }
        }
        if (n == 0) {
          if (++retries > FULL_BUFFER_RETRIES) {
            throw new IOException(
                "the modem's send buffer for link " + l.id() + " to " + remote + " stayed full");
          }
          awaitRoom(l);
          continue;
        }
        retries = 0;
        off += n;
        len -= n;
      }
    }
  }

  /**
   * The modem refused a chunk because its send buffer is full: wait until the peer has taken most
   * of what is queued (where the dialect can tell), so that chunks are not sent twice over the
   * serial line again and again.
   */
  private void awaitRoom(Link l) throws IOException {
    int full;
    try (Exchange ex = engine.acquire(busyWait(), dialect.claims())) {
      full = dialect.unacknowledged(ex, l.id());
    }
    if (full <= 0) {
      pause(Duration.ofMillis(50));
      return;
    }
    for (int i = 0; i < 200; i++) {
      pause(Duration.ofMillis(50));
      checkLost(l);
      int now;
      try (Exchange ex = engine.acquire(busyWait(), dialect.claims())) {
        now = dialect.unacknowledged(ex, l.id());
      }
      if (now <= full / 4) {
        return;
      }
    }
  }

  private void pause(Duration d) throws InterruptedIOException {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  @Override
  protected InputStream getInputStream() throws IOException {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = ModemSocketImpl.this.read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return ModemSocketImpl.this.read(b, off, len);
      }

      @Override
      public int available() {
        return ModemSocketImpl.this.available();
      }

      @Override
      public void close() throws IOException {
        ModemSocketImpl.this.close();
      }
    };
  }

  @Override
  protected OutputStream getOutputStream() throws IOException {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        ModemSocketImpl.this.write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        ModemSocketImpl.this.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        ModemSocketImpl.this.close();
      }
    };
  }

  @Override
  protected int available() {
    Link l = link;
    return l == null ? 0 : l.buffered();
  }

  @Override
  protected void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Link l = link;
    if (l == null) {
      return;
    }
    l.closeLocally();
    try {
      Exchange s = session;
      if (s != null) {
        session = null;
        try {
          if (l.remoteClosedReason() == null) {
            s.escape(config.guardTime().plusSeconds(2));
          }
          dialect.close(s, l.id());
        } finally {
          s.rawSink(null);
          s.close();
        }
      } else if (l.lostReason() == null) {
        try (Exchange ex = engine.acquire(busyWait(), dialect.claims())) {
          if (l.remoteClosedReason() == null) {
            drain(ex, l);
          }
          dialect.close(ex, l.id());
        }
      }
    } catch (IOException e) {
      LOG.debug("closing modem link {}: {}", l.id(), e.getMessage());
    } finally {
      state.free(l);
    }
  }

  /** Waits (a little) until the peer acknowledged what was sent, where the dialect can tell. */
  private void drain(Exchange ex, Link l) throws IOException {
    for (int i = 0; i < 50; i++) {
      int unacked = dialect.unacknowledged(ex, l.id());
      if (unacked <= 0) {
        return;
      }
      pause(Duration.ofMillis(100));
    }
    LOG.debug("closing modem link {} with bytes still unacknowledged", l.id());
  }

  @Override
  protected void shutdownInput() {
    inputShut = true;
  }

  @Override
  protected void shutdownOutput() {
    outputShut = true;
  }

  @Override
  protected void bind(InetAddress host, int port) throws IOException {
    throw new SocketException("a modem socket cannot bind to a local address");
  }

  @Override
  protected void listen(int backlog) throws IOException {
    throw new SocketException("a modem socket cannot listen");
  }

  @Override
  protected void accept(SocketImpl s) throws IOException {
    throw new SocketException("a modem socket cannot accept");
  }

  @Override
  protected void sendUrgentData(int data) throws IOException {
    throw new SocketException("urgent data is not supported through the modem");
  }

  @Override
  public void setOption(int optID, Object value) throws SocketException {
    if (optID == SO_TIMEOUT) {
      int t = value instanceof Integer i ? i : 0;
      if (t < 0) {
        throw new SocketException("SO_TIMEOUT " + t + " is negative");
      }
      soTimeout = t;
    }
    // TCP_NODELAY, SO_KEEPALIVE, SO_LINGER, buffer sizes: the modem decides; accepted and ignored
  }

  @Override
  public Object getOption(int optID) throws SocketException {
    return switch (optID) {
      case SO_TIMEOUT -> soTimeout;
      case TCP_NODELAY -> Boolean.TRUE;
      case SO_KEEPALIVE, SO_OOBINLINE, SO_REUSEADDR -> Boolean.FALSE;
      case SO_LINGER -> -1;
      case SO_SNDBUF -> dialect.maxSend();
      case SO_RCVBUF -> dialect.maxRead();
      case IP_TOS -> 0;
      case SO_BINDADDR -> anyLocal();
      default ->
          throw new SocketException("option " + optID + " is not supported by a modem socket");
    };
  }

  private static InetAddress anyLocal() throws SocketException {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (java.net.UnknownHostException e) {
      throw new SocketException(e.getMessage());
    }
  }

  @Override
  public String toString() {
    Link l = link;
    return "modem link " + (l == null ? "-" : l.id()) + " to " + remote;
  }
}
