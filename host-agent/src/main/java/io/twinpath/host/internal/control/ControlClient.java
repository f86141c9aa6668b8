package io.twinpath.host.internal.control;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The commands' side of the control socket: one request, one answer. */
public final class ControlClient {
  private static final int MAX_LINE = 16 * 1024 * 1024;

  /** No daemon is listening on the socket. */
  public static final class NotRunningException extends IOException {
    private static final long serialVersionUID = 1L;

    public NotRunningException(String message) {
      super(message);
    }
  }

  private static final Gson GSON = new Gson();

  private ControlClient() {}

  /** Parses one JSON object. */
  static JsonObject parse(String line) {
    JsonObject o = GSON.fromJson(line, JsonObject.class);
    if (o == null) {
      throw new JsonParseException("an empty line");
    }
    return o;
  }

  /**
   * Sends a request (and {@code body}, whose length is added as {@code size}) and returns the
   * answer.
   *
   * @throws NotRunningException when no daemon listens on {@code socket}
   * @throws IOException when the daemon fails during the request
   */
  public static JsonObject request(Path socket, JsonObject request, byte @Nullable [] body)
      throws IOException {
    if (!Files.exists(socket)) {
      throw new NotRunningException("no daemon: " + socket + " does not exist");
    }
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (UnsupportedOperationException e) {
      throw new NotRunningException("Unix-domain sockets are not available here");
    }
    try (ch) {
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new NotRunningException("no daemon listens on " + socket + " (" + e + ")");
      }
      JsonObject r = request.deepCopy();
      if (body != null) {
        r.addProperty("size", body.length);
      }
      OutputStream out = Channels.newOutputStream(ch);
      out.write((r + "\n").getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
      try {
        return parse(readLine(in));
      } catch (JsonParseException | IllegalStateException e) {
        throw new IOException("the daemon's answer is not understood: " + e.getMessage(), e);
      }
    }
  }

  /** An answer saying that a request failed. */
  public static JsonObject error(String kind, String message) {
    JsonObject o = new JsonObject();
    o.addProperty("ok", false);
    o.addProperty("kind", kind);
    o.addProperty("message", message);
    return o;
  }

  /** A successful answer. */
  public static JsonObject ok() {
    JsonObject o = new JsonObject();
    o.addProperty("ok", true);
    return o;
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("the other side closed the control connection");
      }
      if (c == '\n') {
        return b.toString(StandardCharsets.UTF_8);
      }
      if (b.size() >= MAX_LINE) {
        throw new IOException("a control line is longer than " + MAX_LINE + " bytes");
      }
      b.write(c);
    }
  }
}
