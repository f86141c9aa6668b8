package io.twinpath.core.inbound;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where and how a device fetches inbound mail: an IMAP or POP3 account. Immutable; built and
 * checked by {@link #builder()}. The password is a supplier and never appears in {@link
 * #toString()}.
 */
public final class FetchSettings {
  /** The mail access protocol; the {@code S} variants use implicit TLS. */
  public enum Protocol {
    IMAP("imap", 143),
    IMAPS("imaps", 993),
    POP3("pop3", 110),
    POP3S("pop3s", 995);

    private final String scheme;
    private final int defaultPort;

    Protocol(String scheme, int defaultPort) {
      this.scheme = scheme;
      this.defaultPort = defaultPort;
    }

    /** The Jakarta Mail store name, also the prefix of its properties. */
    public String scheme() {
      return scheme;
    }

    public int defaultPort() {
      return defaultPort;
    }

    public boolean isImap() {
      return this == IMAP || this == IMAPS;
    }

    /** True for the variants with TLS from the first byte ({@code imaps}, {@code pop3s}). */
    public boolean implicitTls() {
      return this == IMAPS || this == POP3S;
    }
  }

  private final Protocol protocol;
  private final String host;
  private final int port;
  private final String username;
  private final Supplier<char[]> password;
  private final String folder;
  private final boolean deleteAfterDownload;
  private final boolean idle;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final Duration pollInterval;
  private final Duration idleRefresh;
  private final javax.net.@Nullable SocketFactory socketFactory;
  private final java.net.@Nullable InetAddress localAddress;
  private final boolean starttls;
  private final javax.net.ssl.@Nullable SSLSocketFactory sslSocketFactory;

  private FetchSettings(Builder b, javax.net.ssl.@Nullable SSLSocketFactory ssl) {
    this.sslSocketFactory = ssl;
    this.protocol = b.protocol;
    this.host = b.host;
    this.port = b.port == 0 ? b.protocol.defaultPort() : b.port;
    this.username = b.username;
    this.password = b.password;
    this.folder = b.folder;
    this.deleteAfterDownload = b.deleteAfterDownload;
    this.idle = b.idle;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.writeTimeout = b.writeTimeout;
    this.pollInterval = b.pollInterval;
    this.idleRefresh = b.idleRefresh;
    this.socketFactory = b.socketFactory;
    this.localAddress = b.localAddress;
    this.starttls = b.starttls;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Protocol protocol() {
    return protocol;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String username() {
    return username;
  }

  public Supplier<char[]> password() {
    return password;
  }

  /** The IMAP folder (POP3 has only INBOX). */
  public String folder() {
    return folder;
  }

  /** POP3 only: delete each message from the server once it is durably stored here. */
  public boolean deleteAfterDownload() {
    return deleteAfterDownload;
  }

  /** IMAP only: wait with IDLE for new mail when the server offers it, instead of polling. */
  public boolean idle() {
    return idle;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** How often to look for new mail when not idling. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * IMAP IDLE: how long one IDLE command may wait before it is ended, the connection checked with a
   * NOOP and IDLE issued again (RFC 2177 asks for less than 29 minutes). This is also how soon a
   * connection that died silently is noticed.
   */
  public Duration idleRefresh() {
    return idleRefresh;
  }

  /**
   * The path's socket factory for the TCP connection (e.g. the modem's), or null for the default
   * route. With {@code imaps}/{@code pop3s}, TLS runs in Java over its sockets; nothing falls back
   * to the default route when it fails.
   */
  public javax.net.@Nullable SocketFactory socketFactory() {
    return socketFactory;
  }

  /**
   * The local address the connection is bound to (e.g. a cellular interface's), or null for the
   * route's own choice.
   */
  public java.net.@Nullable InetAddress localAddress() {
    return localAddress;
  }

  /** {@code imap}/{@code pop3} only: upgrade with STARTTLS before logging in, or fail. */
  public boolean starttls() {
    return starttls;
  }

  /**
   * The TLS socket factory for {@code imaps}/{@code pop3s} and STARTTLS when a trust store was
   * given, or null for the JDK's default authorities. Host names are always checked.
   */
  public javax.net.ssl.@Nullable SSLSocketFactory sslSocketFactory() {
    return sslSocketFactory;
  }

  @Override
  public String toString() {
    return protocol.scheme()
        + "://"
        + username
        + "@"
        + host
        + ":"
        + port
        + "/"
        + folder
        + (starttls ? " (starttls)" : "")
        + (deleteAfterDownload ? " (delete after download)" : "")
        + (idle ? " (idle)" : "")
        + (socketFactory != null ? " via " + socketFactory.getClass().getSimpleName() : "")
        + (localAddress != null ? " bound to " + localAddress.getHostAddress() : "");
  }

  /** Builds {@link FetchSettings}; each setter checks its value. */
  public static final class Builder {
    private Protocol protocol = Protocol.IMAPS;
    private String host = "";
    private int port;
    private String username = "";
    private Supplier<char[]> password = () -> new char[0];
    private String folder = "INBOX";
    private boolean deleteAfterDownload;
    private boolean idle = true;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration readTimeout = Duration.ofSeconds(60);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private Duration pollInterval = Duration.ofMinutes(2);
    private Duration idleRefresh = Duration.ofMinutes(10);
    private javax.net.@Nullable SocketFactory socketFactory;
    private java.net.@Nullable InetAddress localAddress;
    private boolean starttls;
    private java.nio.file.@Nullable Path trustStore;
    private char[] trustStorePassword = new char[0];

    private Builder() {}

    /**
     * Trusts the certificates in a PKCS12 or JKS file for {@code imaps}/{@code pop3s} and STARTTLS
     * (e.g. a self-hosted server) instead of the JDK's authorities. There is no "trust all".
     */
    public Builder trustStore(java.nio.file.Path path, char[] password) {
      this.trustStore = Objects.requireNonNull(path, "path");
      this.trustStorePassword = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    public Builder protocol(Protocol p) {
      this.protocol = Objects.requireNonNull(p, "protocol");
      return this;
    }

    /** Parses {@code imap}, {@code imaps}, {@code pop3} or {@code pop3s}. */
    public Builder protocol(String name) {
      try {
        return protocol(Protocol.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "inbound.protocol '" + name + "' is not accepted; use imap, imaps, pop3 or pop3s", e);
      }
    }

    public Builder host(String h) {
      if (h == null || h.isBlank() || h.chars().anyMatch(c -> c <= ' ')) {
        throw new IllegalArgumentException(
            "inbound.host '" + h + "' is not accepted; give a host name or address");
      }
      this.host = h;
      return this;
    }

    public Builder port(int p) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException(
            "inbound.port " + p + " is not accepted; use 1-65535 (default: by protocol)");
      }
      this.port = p;
      return this;
    }

    public Builder username(String u) {
      if (u == null || u.isEmpty()) {
        throw new IllegalArgumentException("inbound.username is empty; give the account's user");
      }
      this.username = u;
      return this;
    }

    public Builder password(Supplier<char[]> p) {
      this.password = Objects.requireNonNull(p, "password");
      return this;
    }

    public Builder folder(String f) {
      if (f == null || f.isBlank()) {
        throw new IllegalArgumentException("inbound.folder is empty; e.g. INBOX");
      }
      this.folder = f;
      return this;
    }

    public Builder deleteAfterDownload(boolean d) {
      this.deleteAfterDownload = d;
      return this;
    }

    public Builder idle(boolean i) {
      this.idle = i;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive("inbound.connectTimeout", d);
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = positive("inbound.readTimeout", d);
      return this;
    }

    public Builder writeTimeout(Duration d) {
      this.writeTimeout = positive("inbound.writeTimeout", d);
      return this;
    }

    public Builder pollInterval(Duration d) {
      this.pollInterval = positive("inbound.pollInterval", d);
      return this;
    }

    /** IMAP IDLE: re-issue IDLE after this long; above 0 and below 29 minutes (default 10). */
    public Builder idleRefresh(Duration d) {
      if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(29)) >= 0) {
        throw new IllegalArgumentException(
            "inbound.idleRefresh "
                + d
                + " is not accepted; use a duration above 0 and below 29 minutes (RFC 2177)");
      }
      this.idleRefresh = d;
      return this;
    }

    /**
     * Makes the TCP connection with this factory (e.g. the modem's) instead of the default route;
     * null for the default.
     */
    public Builder socketFactory(javax.net.@Nullable SocketFactory f) {
      this.socketFactory = f;
      return this;
    }

    /** Binds the connection to this local address (e.g. a cellular interface's); null for none. */
    public Builder localAddress(java.net.@Nullable InetAddress a) {
      this.localAddress = a;
      return this;
    }

    /** {@code imap}/{@code pop3} only: upgrade with STARTTLS, and fail if the server cannot. */
    public Builder starttls(boolean s) {
      this.starttls = s;
      return this;
    }

    private static Duration positive(String key, Duration d) {
      if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            key + " " + d + " is not accepted; use a duration above 0 and at most 1 hour");
      }
      return d;
    }

    public FetchSettings build() {
      if (host.isEmpty()) {
        throw new IllegalArgumentException("inbound.host is missing; give the mail server's name");
      }
      if (username.isEmpty()) {
        throw new IllegalArgumentException("inbound.username is missing");
      }
      if (deleteAfterDownload && protocol.isImap()) {
        throw new IllegalArgumentException(
            "inbound.deleteAfterDownload is for pop3 and pop3s; IMAP mail stays on the server");
      }
      if (starttls && protocol.implicitTls()) {
        throw new IllegalArgumentException(
            "inbound.starttls is for imap and pop3; "
                + protocol.scheme()
                + " uses TLS from the first byte");
      }
      return new FetchSettings(this, sslFactory());
    }

    private javax.net.ssl.@Nullable SSLSocketFactory sslFactory() {
      java.nio.file.Path ts = trustStore;
      return ts == null
          ? null
          : io.twinpath.core.tls.TrustStores.socketFactory(
              "inbound.trustStore", ts, trustStorePassword);
    }
  }
}
