package io.twinpath.core.wire.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain sockets for MQTT: Nagle's algorithm off (acknowledgements are tiny packets, and Nagle plus
 * delayed ACKs would hold each of them back by tens of milliseconds), and what is written passes
 * through {@link ResendFlagFilter}, so a message sent again never carries the DUP flag.
 */
public final class NoDelaySocketFactory extends SocketFactory {
  private static Socket noDelay(Socket s) throws IOException {
    s.setTcpNoDelay(true);
    return s;
  }

  @Override
  public Socket createSocket() throws IOException {
    return noDelay(new MqttSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(new MqttSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return noDelay(new MqttSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(new MqttSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return noDelay(new MqttSocket(address, port, localAddress, localPort));
  }

  /** A socket whose output stream clears the DUP flag of each PUBLISH. */
  private static final class MqttSocket extends Socket {
    private @org.jspecify.annotations.Nullable OutputStream filtered;

    MqttSocket() {}

    MqttSocket(String host, int port) throws IOException {
      super(host, port);
    }

    MqttSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      super(host, port, localHost, localPort);
    }

    MqttSocket(InetAddress host, int port) throws IOException {
      super(host, port);
    }

    MqttSocket(InetAddress host, int port, InetAddress localHost, int localPort)
        throws IOException {
      super(host, port, localHost, localPort);
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      OutputStream f = filtered;
      if (f == null) {
        f = new ResendFlagFilter(super.getOutputStream());
        filtered = f;
      }
      return f;
    }
  }
}
