package io.twinpath.core.inbound.internal;

import io.twinpath.core.inbound.FetchSettings;
import java.util.Properties;

/** The Jakarta Mail session properties for a {@link FetchSettings}: path, TLS and timeouts. */
public final class FetchProperties {
  private FetchProperties() {}

  /**
   * The Jakarta Mail store to use: with a path's socket factory and implicit TLS, the plain
   * protocol's store, since TLS is layered over the path's socket here (the library would otherwise
   * open its own TLS socket on the default route).
   */
  public static String storeName(FetchSettings s) {
    if (s.socketFactory() != null && s.protocol().implicitTls()) {
      return s.protocol().isImap() ? "imap" : "pop3";
    }
    return s.protocol().scheme();
  }

  public static Properties properties(FetchSettings s) {
    Properties p = new Properties();
    String k = "mail." + storeName(s) + ".";
    p.put(k + "host", s.host());
    p.put(k + "port", Integer.toString(s.port()));
    p.put(k + "connectiontimeout", Long.toString(s.connectTimeout().toMillis()));
    p.put(k + "timeout", Long.toString(s.readTimeout().toMillis()));
    p.put(k + "writetimeout", Long.toString(s.writeTimeout().toMillis()));
    javax.net.ssl.SSLSocketFactory configured = s.sslSocketFactory();
    javax.net.ssl.SSLSocketFactory ssl =
        configured != null
            ? configured
            : (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault();
    javax.net.SocketFactory path = s.socketFactory();
    if (path != null) {
      // the path's sockets or none: never a silent retry on the default route
      p.put(k + "socketFactory.fallback", "false");
      p.put(
          k + "socketFactory",
          s.protocol().implicitTls() ? new TlsOverSocketFactory(path, ssl, s.host()) : path);
    } else if (s.protocol().implicitTls()) {
      p.put(k + "ssl.checkserveridentity", "true");
      if (configured != null) {
        p.put(k + "ssl.socketFactory", configured);
      }
    }
    if (s.starttls()) {
      p.put(k + "starttls.enable", "true");
      p.put(k + "starttls.required", "true");
      p.put(k + "ssl.checkserveridentity", "true");
      p.put(k + "ssl.socketFactory", ssl);
    }
    java.net.InetAddress local = s.localAddress();
    if (local != null) {
      p.put(k + "localaddress", local.getHostAddress());
    }
    if (s.protocol().isImap()) {
      // whole messages in one FETCH
      p.put(k + "partialfetch", "false");
    }
    return p;
  }
}
