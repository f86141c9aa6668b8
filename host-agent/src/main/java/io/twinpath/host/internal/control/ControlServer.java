package io.twinpath.host.internal.control;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of the control socket. Each connection carries one request: a JSON line, then
 * for {@code submit} exactly {@code size} bytes of message; the answer is one JSON line. The socket
 * file is readable and writable by its owner only.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @param request the JSON request ({@code op} names it)
     * @param body the request's payload ({@code size} bytes; empty when none)
     * @return the answer, with {@code ok} true or false
     */
    JsonObject handle(JsonObject request, InputStream body) throws IOException;
  }

  private final ServerSocketChannel server;
  private final Path path;
  private final Handler handler;
  private final Thread acceptor;
  private volatile boolean closed;

  private ControlServer(ServerSocketChannel server, Path path, Handler handler) {
    this.server = server;
    this.path = path;
    this.handler = handler;
    this.acceptor = new Thread(this::acceptLoop, "control-socket");
    this.acceptor.setDaemon(true);
  }

  /**
   * Listens on {@code path}, replacing a stale socket file left by a daemon that died. The caller
   * must hold the spool lock, so no other daemon is using the path.
   */
  public static ControlServer start(Path path, Handler handler) throws IOException {
    Files.createDirectories(path.getParent());
    Files.deleteIfExists(path);
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.bind(UnixDomainSocketAddress.of(path));
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      ch.close();
      throw new IOException("cannot create the control socket " + path + ": " + e, e);
    }
    ControlServer s = new ControlServer(ch, path, handler);
    s.acceptor.start();
    return s;
  }

  public Path path() {
    return path;
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel c;
      try {
        c = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("the control socket stopped accepting: {}", e.toString());
        }
        return;
      }
      Thread t = new Thread(() -> serve(c), "control-request");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(SocketChannel c) {
    try (c;
        InputStream in = new BufferedInputStream(Channels.newInputStream(c), 65536);
        OutputStream out = Channels.newOutputStream(c)) {
      JsonObject answer;
      try {
        String line = ControlClient.readLine(in);
        JsonObject request = ControlClient.parse(line);
        long size = request.has("size") ? request.get("size").getAsLong() : 0;
        if (size < 0) {
          throw new IllegalStateException("negative size");
        }
        BoundedInputStream body = new BoundedInputStream(in, size);
        answer = handler.handle(request, body);
      } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
        answer = ControlClient.error("BAD_REQUEST", "the request is not understood: " + e);
      }
      out.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      LOG.debug("a control request ended early: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.warn("a control request failed", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the control socket", e);
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.debug("removing the control socket file", e);
    }
  }

  /** Reads exactly {@code size} bytes, then reports the end; an early end is an error. */
  static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int c = in.read();
      if (c < 0) {
        throw new java.io.EOFException("the request ended " + left + " bytes early");
      }
      left--;
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new java.io.EOFException("the request ended " + left + " bytes early");
      }
      left -= n;
      return n;
    }
  }
}
