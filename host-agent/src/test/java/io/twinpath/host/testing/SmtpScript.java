package io.twinpath.host.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A line-level SMTP client for tests: sends exact bytes, returns whole (multi-line) replies. */
public final class SmtpScript implements AutoCloseable {
  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  public SmtpScript(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(20_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** Reads one reply; multi-line replies are joined with newlines. */
  public String reply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String l = in.readLine();
      if (l == null) {
        lines.add("(connection closed)");
        break;
      }
      lines.add(l);
      if (l.length() < 4 || l.charAt(3) != '-') {
        break;
      }
    }
    return String.join("\n", lines);
  }

  /** Sends raw bytes (no CRLF added). */
  public void raw(String text) throws IOException {
    raw(text.getBytes(StandardCharsets.UTF_8));
  }

  public void raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends one command line and returns its reply. */
  public String command(String line) throws IOException {
    raw(line + "\r\n");
    return reply();
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
