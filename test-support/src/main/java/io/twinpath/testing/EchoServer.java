package io.twinpath.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A loopback TCP echo server on port 0; can close its connections to play a remote close. */
public final class EchoServer implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger ended = new AtomicInteger();

  public EchoServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "echo-server");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Bytes echoed so far. */
  public long bytes() {
    return bytes.get();
  }

  public int accepted() {
    return connections.size();
  }

  /** Connections whose client side ended (EOF or reset). */
  public int ended() {
    return ended.get();
  }

  /** Sends {@code data} on every open connection. */
  public void sendToAll(byte[] data) throws IOException {
    for (Socket s : connections) {
      if (!s.isClosed()) {
        s.getOutputStream().write(data);
        s.getOutputStream().flush();
      }
    }
  }

  /** The remote side closes every connection. */
  public void closeConnections() throws IOException {
    for (Socket s : connections) {
      s.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.add(s);
        Thread t = new Thread(() -> echo(s), "echo-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void echo(Socket s) {
    byte[] buf = new byte[8192];
    try (InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
        bytes.addAndGet(n);
      }
    } catch (IOException e) {
      // closed by either side
    }
    ended.incrementAndGet();
  }

  @Override
  public void close() throws IOException {
    server.close();
    closeConnections();
  }
}
