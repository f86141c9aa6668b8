package io.twinpath.dongle;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A broker that accepts every CONNECT and acknowledges nothing else, so each QoS 1 message a client
 * publishes to it stays in flight (in the client's persistence) until it is sent again elsewhere.
 */
final class SilentBroker implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> clients = new CopyOnWriteArrayList<>();
  private final AtomicInteger publishes = new AtomicInteger();
  private final boolean answerConnect;

  SilentBroker(int port) throws IOException {
    this(port, null);
  }

  /** With {@code tls}, a TLS listener with that context's key. */
  SilentBroker(int port, @Nullable SSLContext tls) throws IOException {
    this(port, tls, true);
  }

  /** A broker that accepts connections and answers nothing at all, not even CONNECT. */
  static SilentBroker mute(int port) throws IOException {
    return new SilentBroker(port, null, false);
  }

  private SilentBroker(int port, @Nullable SSLContext tls, boolean answerConnect)
      throws IOException {
    this.answerConnect = answerConnect;
    server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread t = new Thread(this::accept, "silent-broker");
    t.setDaemon(true);
    t.start();
  }

  /** PUBLISH packets received so far. */
  int publishes() {
    return publishes.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        clients.add(s);
        Thread t = new Thread(() -> serve(s), "silent-broker-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        int type = in.readUnsignedByte() >> 4;
        in.readFully(new byte[remainingLength(in)]);
        if (type == 1 && answerConnect) {
          out.write(new byte[] {0x20, 0x02, 0x00, 0x00}); // CONNACK, accepted
          out.flush();
        } else if (type == 3) {
          publishes.incrementAndGet();
        }
      }
    } catch (IOException e) {
      // the client went away or the broker closed
    }
  }

  private static int remainingLength(InputStream in) throws IOException {
    int value = 0;
    int multiplier = 1;
    int b;
    do {
      b = in.read();
      if (b < 0) {
        throw new IOException("end of stream");
      }
      value += (b & 0x7f) * multiplier;
      multiplier *= 128;
    } while ((b & 0x80) != 0);
    return value;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : clients) {
      s.close();
    }
  }
}
