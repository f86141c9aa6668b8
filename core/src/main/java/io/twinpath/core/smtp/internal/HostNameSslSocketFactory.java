package io.twinpath.core.smtp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Layers TLS over an existing socket for STARTTLS always in the name of the configured server host,
 * whatever name the transport derived from the socket (it may be a reverse lookup, or what a custom
 * socket factory reports): certificate host name checking and SNI use the name the user configured.
 */
final class HostNameSslSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final String host;

  HostNameSslSocketFactory(SSLSocketFactory delegate, String host) {
    this.delegate = delegate;
    this.host = host;
  }

  @Override
  public Socket createSocket(Socket s, String ignoredHost, int port, boolean autoClose)
      throws IOException {
    return delegate.createSocket(s, host, port, autoClose);
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket(String h, int port) throws IOException {
    return delegate.createSocket(h, port);
  }

  @Override
  public Socket createSocket(String h, int port, InetAddress local, int localPort)
      throws IOException {
    return delegate.createSocket(h, port, local, localPort);
  }

  @Override
  public Socket createSocket(InetAddress h, int port) throws IOException {
    return delegate.createSocket(h, port);
  }

  @Override
  public Socket createSocket(InetAddress h, int port, InetAddress local, int localPort)
      throws IOException {
    return delegate.createSocket(h, port, local, localPort);
  }
}
