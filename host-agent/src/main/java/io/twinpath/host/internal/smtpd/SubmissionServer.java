package io.twinpath.host.internal.smtpd;

import io.twinpath.host.internal.submit.Outbox;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback SMTP submission listener, for mail clients that cannot run a sendmail command
 * (Thunderbird, Evolution). It accepts only on the configured loopback address and replies 250 to a
 * message only once the {@link Outbox} has queued it durably.
 */
public final class SubmissionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SubmissionServer.class);

  /** Connections served at once; more are told to come back later (421). */
  public static final int MAX_CONNECTIONS = 16;

  private final ServerSocket server;
  private final Outbox outbox;
  private final String hostname;
  private final Duration idleTimeout;
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private SubmissionServer(
      ServerSocket server, Outbox outbox, String hostname, Duration idleTimeout) {
    this.server = server;
    this.outbox = outbox;
    this.hostname = hostname;
    this.idleTimeout = idleTimeout;
    this.acceptor = new Thread(this::acceptLoop, "smtp-listener");
    this.acceptor.setDaemon(true);
  }

  /**
   * Binds and starts accepting.
   *
   * @param bind a loopback address; port 0 picks a free port
   * @param hostname the name in the greeting
   * @throws IOException when the address cannot be bound (e.g. the port is taken)
   */
  public static SubmissionServer start(
      InetSocketAddress bind, Outbox outbox, String hostname, Duration idleTimeout)
      throws IOException {
    if (!bind.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "the submission listener binds only to loopback addresses, not " + bind);
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    try {
      s.bind(bind, 50);
    } catch (IOException e) {
      s.close();
      throw new IOException(
          "the SMTP listener cannot listen on "
              + bind.getAddress().getHostAddress()
              + ":"
              + bind.getPort()
              + " ("
              + e.getMessage()
              + "); choose another port with 'listen' in host.conf",
          e);
    }
    SubmissionServer srv = new SubmissionServer(s, outbox, hostname, idleTimeout);
    srv.acceptor.start();
    LOG.info(
        "SMTP submission listener on {}:{} (size limit {} bytes)",
        bind.getAddress().getHostAddress(),
        s.getLocalPort(),
        outbox.sizeLimit());
    return srv;
  }

  /** The port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("the SMTP listener stopped accepting: {}", e.toString());
        }
        return;
      }
      if (!slots.tryAcquire()) {
        refuse(socket);
        continue;
      }
      open.add(socket);
      Thread t =
          new Thread(
              () -> {
                try {
                  socket.setSoTimeout((int) idleTimeout.toMillis());
                  new SmtpSession(socket, outbox, hostname).run();
                } catch (SocketException e) {
                  LOG.debug("SMTP connection ended: {}", e.toString());
                } catch (IOException e) {
                  LOG.info("SMTP connection from {} ended: {}", socket.getPort(), e.toString());
                } catch (RuntimeException e) {
                  LOG.warn("SMTP session failed", e);
                } finally {
                  open.remove(socket);
                  closeQuietly(socket);
                  slots.release();
                }
              },
              "smtp-session-" + socket.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private static void refuse(Socket socket) {
    try (socket) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "421 4.3.2 Too many connections, try again later\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      LOG.debug("refusing a connection", e);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      LOG.debug("closing a socket", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the listener", e);
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
