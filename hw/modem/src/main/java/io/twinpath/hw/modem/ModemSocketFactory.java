package io.twinpath.hw.modem;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Makes {@link ModemSocket}s: TCP through the modem. Suitable for Jakarta Mail's {@code
 * mail.smtp.socketFactory} (set the instance in the session properties) and for {@code
 * SmtpSettings}. Host names are resolved by the modem, not locally. A local bind address, when
 * asked for, is ignored: the modem has one address.
 */
public final class ModemSocketFactory extends SocketFactory {
  private final Modem modem;

  ModemSocketFactory(Modem modem) {
    this.modem = modem;
  }

  /** An unconnected socket; connect it with {@link Socket#connect}. */
  @Override
  public Socket createSocket() throws IOException {
    return modem.newSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    connect(s, InetSocketAddress.createUnresolved(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    connect(s, new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return createSocket(address, port);
  }

  private static void connect(Socket s, InetSocketAddress to) throws IOException {
    try {
      s.connect(to);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }
}
