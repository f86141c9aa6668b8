package io.twinpath.core.inbound.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes sockets that speak TLS as soon as they are connected, over a TCP connection made by another
 * (plain) socket factory, such as the modem's: implicit TLS ({@code imaps}, {@code pop3s}) over a
 * chosen path, with the mail library using the result as a plain socket. The server's certificate
 * is checked against the configured trust and the configured host name (also sent as SNI), whatever
 * address the connection was given. Nothing falls back to another route: if the plain factory
 * cannot connect, the connect fails.
 */
public final class TlsOverSocketFactory extends SocketFactory {
  private final SocketFactory plain;
  private final SSLSocketFactory tls;
  private final String host;

  /**
   * @param plain makes the TCP connections (e.g. the modem's socket factory)
   * @param tls layers TLS over them (the configured trust store, or the JDK's)
   * @param host the server's configured name: the certificate must be for it
   */
  public TlsOverSocketFactory(SocketFactory plain, SSLSocketFactory tls, String host) {
    this.plain = Objects.requireNonNull(plain, "plain");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.host = Objects.requireNonNull(host, "host");
  }

  /** An unconnected socket; TLS is negotiated when it is connected. */
  @Override
  public Socket createSocket() throws IOException {
    return new LayeredSocket(new Impl(plain, tls, host));
  }

  @Override
  public Socket createSocket(String h, int port) throws IOException {
    return connected(createSocket(), InetSocketAddress.createUnresolved(h, port), null);
  }

  @Override
  public Socket createSocket(String h, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        createSocket(),
        InetSocketAddress.createUnresolved(h, port),
        new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress h, int port) throws IOException {
    return connected(createSocket(), new InetSocketAddress(h, port), null);
  }

  @Override
  public Socket createSocket(InetAddress h, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        createSocket(),
        new InetSocketAddress(h, port),
        new InetSocketAddress(localHost, localPort));
  }

  private static Socket connected(Socket s, InetSocketAddress to, @Nullable InetSocketAddress local)
      throws IOException {
    try {
      if (local != null) {
        s.bind(local);
      }
      s.connect(to);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return "TLS over " + plain.getClass().getSimpleName() + " to " + host;
  }

  /** A socket whose connection is the TLS session of its {@link Impl}. */
  private static final class LayeredSocket extends Socket {
    private final Impl impl;

    LayeredSocket(Impl impl) throws SocketException {
      super(impl);
      this.impl = impl;
    }

    @Override
    public String toString() {
      return "TLS socket [" + impl + "]";
    }
  }

  /** Connects through the plain factory, then hands every byte to the TLS session over it. */
  private static final class Impl extends SocketImpl {
    private final SocketFactory plain;
    private final SSLSocketFactory tls;
    private final String host;
    private @Nullable InetSocketAddress bindTo;
    private volatile @Nullable SSLSocket session;
    private volatile int soTimeout;
    private volatile boolean closed;

    Impl(SocketFactory plain, SSLSocketFactory tls, String host) {
      this.plain = plain;
      this.tls = tls;
      this.host = host;
    }

    @Override
    protected void create(boolean stream) throws IOException {
      if (!stream) {
        throw new SocketException("a TLS socket is a stream; datagrams are not supported");
      }
    }

    @Override
    protected void connect(String h, int p) throws IOException {
      connect(InetSocketAddress.createUnresolved(h, p), 0);
    }

    @Override
    protected void connect(InetAddress a, int p) throws IOException {
      connect(new InetSocketAddress(a, p), 0);
    }

    @Override
    protected void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
      if (!(endpoint instanceof InetSocketAddress to)) {
        throw new SocketException("connect to an InetSocketAddress, not " + endpoint);
      }
      if (closed) {
        throw new SocketException("Socket closed");
      }
      Socket raw = plain.createSocket();
      try {
        InetSocketAddress local = bindTo;
        if (local != null) {
          raw.bind(local);
        }
        raw.connect(to, Math.max(0, timeoutMillis));
        // the handshake is bounded by the read timeout, else by the connect timeout
        int t = soTimeout;
        raw.setSoTimeout(t > 0 ? t : Math.max(0, timeoutMillis));
        SSLSocket s = (SSLSocket) tls.createSocket(raw, host, to.getPort(), true);
        try {
          SSLParameters params = s.getSSLParameters();
          params.setEndpointIdentificationAlgorithm("HTTPS");
          s.setSSLParameters(params);
          s.startHandshake();
          s.setSoTimeout(soTimeout);
        } catch (IOException | RuntimeException e) {
          s.close();
          throw e;
        }
        session = s;
        address = raw.getInetAddress();
        port = to.getPort();
        localport = raw.getLocalPort();
      } catch (IOException | RuntimeException e) {
        raw.close();
        throw e;
      }
    }

    private SSLSocket session() throws SocketException {
      SSLSocket s = session;
      if (closed) {
        throw new SocketException("Socket closed");
      }
      if (s == null) {
        throw new SocketException("Socket is not connected");
      }
      return s;
    }

    @Override
    protected void bind(InetAddress h, int p) throws IOException {
      bindTo = new InetSocketAddress(h, p);
      localport = p;
    }

    @Override
    protected void listen(int backlog) throws IOException {
      throw new SocketException("a client TLS socket cannot listen");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
      throw new SocketException("a client TLS socket cannot accept");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
      return session().getInputStream();
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
      return session().getOutputStream();
    }

    @Override
    protected int available() throws IOException {
      return session().getInputStream().available();
    }

    @Override
    protected void close() throws IOException {
      closed = true;
      SSLSocket s = session;
      if (s != null) {
        s.close();
      }
    }

    @Override
    protected void shutdownInput() throws IOException {
      throw new SocketException("half-closing is not supported over TLS");
    }

    @Override
    protected void shutdownOutput() throws IOException {
      throw new SocketException("half-closing is not supported over TLS");
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
      throw new SocketException("urgent data is not supported over TLS");
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
      SSLSocket s = session;
      switch (optID) {
        case SO_TIMEOUT -> {
          int t = value instanceof Integer i ? i : 0;
          if (t < 0) {
            throw new SocketException("SO_TIMEOUT " + t + " is negative");
          }
          soTimeout = t;
          if (s != null) {
            s.setSoTimeout(t);
          }
        }
        case TCP_NODELAY -> {
          if (s != null && value instanceof Boolean b) {
            s.setTcpNoDelay(b);
          }
        }
        case SO_KEEPALIVE -> {
          if (s != null && value instanceof Boolean b) {
            s.setKeepAlive(b);
          }
        }
        default -> {
          // linger, buffer sizes, traffic class: the plain socket's defaults apply
        }
      }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
      SSLSocket s = session;
      return switch (optID) {
        case SO_TIMEOUT -> soTimeout;
        case TCP_NODELAY -> s != null && s.getTcpNoDelay();
        case SO_KEEPALIVE -> s != null && s.getKeepAlive();
        case SO_OOBINLINE, SO_REUSEADDR -> Boolean.FALSE;
        case SO_LINGER -> -1;
        case SO_SNDBUF, SO_RCVBUF -> 64 * 1024;
        case IP_TOS -> 0;
        case SO_BINDADDR -> s != null ? s.getLocalAddress() : anyLocal();
        default -> throw new SocketException("option " + optID + " is not supported");
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
      SSLSocket s = session;
      return s == null ? "not connected, for " + host : s.toString();
    }
  }
}
