package io.twinpath.core.smtp;

import io.twinpath.core.tls.TrustStores;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * How one path reaches its submission server. Immutable and validated; build with {@link
 * #builder()}. The password is never kept as text here and never printed.
 *
 * <p>Certificates are always checked, with the host name: against the JDK's trusted authorities, or
 * against a trust store given with {@link Builder#trustStore}. There is no "trust all".
 */
public final class SmtpSettings {
  /** How TLS is used. */
  public enum TlsMode {
    /** Plain connect, then STARTTLS, required (a server without it is a failure). Port 587. */
    STARTTLS,
    /** TLS from the first byte. Port 465. */
    IMPLICIT,
    /** No TLS at all: only for a loopback host (tests, a local relay). */
    NONE
  }

  private static final Pattern HOST =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?"
              + "|[0-9.]+|\\[?[0-9A-Fa-f:.]+\\]?");

  private final String host;
  private final int port;
  private final TlsMode tlsMode;
  private final @Nullable String username;
  private final @Nullable Supplier<char[]> password;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final @Nullable Path trustStore;
  private final SSLSocketFactory sslSocketFactory;
  private final @Nullable SocketFactory socketFactory;
  private final @Nullable InetAddress localAddress;
  private final String ehloName;

  private SmtpSettings(Builder b, SSLSocketFactory ssl) {
    this.host = Objects.requireNonNull(b.host);
    this.port = b.port > 0 ? b.port : defaultPort(b.tlsMode);
    this.tlsMode = b.tlsMode;
    this.username = b.username;
    this.password = b.password;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.writeTimeout = b.writeTimeout;
    this.trustStore = b.trustStore;
    this.sslSocketFactory = ssl;
    this.socketFactory = b.socketFactory;
    this.localAddress = b.localAddress;
    this.ehloName = b.ehloName;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** 587 for STARTTLS, 465 for IMPLICIT, 25 for NONE. */
  public static int defaultPort(TlsMode mode) {
    switch (mode) {
      case IMPLICIT:
        return 465;
      case NONE:
        return 25;
      default:
        return 587;
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public TlsMode tlsMode() {
    return tlsMode;
  }

  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * A fresh copy of the password from its supplier, or an empty array when there are no
   * credentials. The caller clears it after use.
   */
  public char[] password() {
    Supplier<char[]> p = password;
    if (p == null) {
      return new char[0];
    }
    char[] c = p.get();
    return c == null ? new char[0] : c.clone();
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

  /** The trust store given, if any (else the JDK's default trust). */
  public Optional<Path> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /** TLS sockets that check the server's certificate against the configured trust. */
  public SSLSocketFactory sslSocketFactory() {
    return sslSocketFactory;
  }

  /** The factory for the plain socket (e.g. the modem's); empty means the JDK default. */
  public Optional<SocketFactory> socketFactory() {
    return Optional.ofNullable(socketFactory);
  }

  /** The local address to bind to, forcing the path onto one interface; empty means any. */
  public Optional<InetAddress> localAddress() {
    return Optional.ofNullable(localAddress);
  }

  /** The name sent with EHLO. */
  public String ehloName() {
    return ehloName;
  }

  @Override
  public String toString() {
    return "smtp "
        + tlsMode.name().toLowerCase(Locale.ROOT)
        + " "
        + host
        + ":"
        + port
        + (username != null ? " as " + username + " (password set)" : " without AUTH")
        + ", timeouts connect "
        + connectTimeout.toMillis()
        + " ms read "
        + readTimeout.toMillis()
        + " ms write "
        + writeTimeout.toMillis()
        + " ms"
        + (trustStore != null ? ", trust " + trustStore : ", JDK trust")
        + (socketFactory != null ? ", socket factory " + socketFactory.getClass().getName() : "")
        + (localAddress != null ? ", bound to " + localAddress.getHostAddress() : "");
  }

  /** Builder. Defaults: STARTTLS, its default port, 30 s connect, 60 s read and write timeouts. */
  public static final class Builder {
    private @Nullable String host;
    private int port;
    private TlsMode tlsMode = TlsMode.STARTTLS;
    private @Nullable String username;
    private @Nullable Supplier<char[]> password;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration readTimeout = Duration.ofSeconds(60);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private @Nullable Path trustStore;
    private char @Nullable [] trustStorePassword;
    private @Nullable SocketFactory socketFactory;
    private @Nullable InetAddress localAddress;
    private String ehloName = "localhost";

    private Builder() {}

    /** The submission server's host name (or address). Required. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "smtp.host '"
                + host
                + "' is not a host name or address; use e.g. smtp.example.org or 192.0.2.1");
      }
      this.host = host;
      return this;
    }

    /** 1-65535; when not set, the default port of the TLS mode. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "smtp.port " + port + " is out of range; use 1-65535 (587 STARTTLS, 465 implicit TLS)");
      }
      this.port = port;
      return this;
    }

    public Builder tls(TlsMode mode) {
      this.tlsMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * AUTH credentials. The supplier is asked for the password at each connection; the array it
     * returns is copied, used and cleared.
     */
    public Builder credentials(String username, Supplier<char[]> password) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.isEmpty() || username.length() > 256 || username.matches(".*[\\r\\n\\x00].*")) {
        throw new IllegalArgumentException(
            "smtp.username is not accepted; use 1-256 characters without line breaks");
      }
      this.username = username;
      this.password = password;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = checkTimeout("smtp.connectTimeout", d);
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = checkTimeout("smtp.readTimeout", d);
      return this;
    }

    public Builder writeTimeout(Duration d) {
      this.writeTimeout = checkTimeout("smtp.writeTimeout", d);
      return this;
    }

    private static Duration checkTimeout(String key, Duration d) {
      Objects.requireNonNull(d, key);
      if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            key + " " + d + " is not accepted; use more than 0 and at most 1 hour (e.g. PT30S)");
      }
      return d;
    }

    /**
     * Trust exactly the certificates (or authorities) in this key store instead of the JDK's
     * (PKCS12 or JKS, detected from the file). The store is read by {@link #build()}.
     */
    public Builder trustStore(Path path, char[] password) {
      this.trustStore = Objects.requireNonNull(path, "path");
      this.trustStorePassword = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * The factory for the plain TCP socket (TLS is layered over it). Its {@code createSocket()}
     * must return an unconnected socket, and that socket's {@code connect} receives an unresolved
     * address (the factory's side resolves the name, e.g. the modem's DNS).
     */
    public Builder socketFactory(SocketFactory factory) {
      this.socketFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** Bind the socket to this local address (one interface) before connecting. */
    public Builder localAddress(InetAddress address) {
      this.localAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    public Builder ehloName(String name) {
      Objects.requireNonNull(name, "name");
      if (!HOST.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "smtp.ehloName '" + name + "' is not a host name; use e.g. laptop.example.org");
      }
      this.ehloName = name;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the key when a value is missing or unusable (no host,
     *     NONE for a host that is not loopback, an unreadable trust store)
     */
    public SmtpSettings build() {
      if (host == null) {
        throw new IllegalArgumentException("smtp.host is missing; give the submission server");
      }
      if (tlsMode == TlsMode.NONE && !isLoopback(host)) {
        throw new IllegalArgumentException(
            "smtp.tls NONE is accepted only for a loopback host (localhost, 127.0.0.1, ::1); host"
                + " is '"
                + host
                + "': use STARTTLS or IMPLICIT");
      }
      return new SmtpSettings(this, sslFactory());
    }

    private SSLSocketFactory sslFactory() {
      char[] pw = trustStorePassword;
      try {
        return TrustStores.socketFactory("smtp.trustStore", trustStore, pw);
      } finally {
        if (pw != null) {
          Arrays.fill(pw, '\0');
        }
      }
    }

    private static boolean isLoopback(String host) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.equals("localhost") || h.equals("localhost.")) {
        return true;
      }
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      if (h.matches("[0-9.]+") || h.contains(":")) {
        try {
          return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no DNS lookup
        } catch (IOException e) {
          return false;
        }
      }
      return false;
    }
  }
}
