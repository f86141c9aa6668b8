package io.twinpath.core.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A lock-step SMTP peer on loopback that answers each command with a scripted reply, speaks
 * STARTTLS or implicit TLS with a given certificate, checks AUTH PLAIN, and records the commands
 * and the exact message bytes (dot-stuffing removed).
 */
final class ScriptedSmtpServer implements AutoCloseable {
  /** The replies; change before the client connects. */
  static final class Script {
    String greeting = "220 scripted ESMTP";
    List<String> extensions = new ArrayList<>(List.of("8BITMIME", "SIZE 10000000", "AUTH PLAIN"));
    boolean offerStartTls;
    boolean implicitTls;
    @Nullable SSLContext tls;
    String starttls = "220 2.0.0 go ahead";
    @Nullable String user;
    @Nullable String password;
    String auth = "235 2.7.0 authenticated";
    String mail = "250 2.1.0 ok";
    Map<String, String> rcpt = new HashMap<>();
    String rcptDefault = "250 2.1.5 ok";
    String data = "354 end with .";

    /** The reply to the final dot; null closes the connection instead of replying. */
    @Nullable String afterDot = "250 2.0.0 queued as 4711";
  }

  final Script script = new Script();
  final List<String> commands = new CopyOnWriteArrayList<>();
  final List<byte[]> messages = new CopyOnWriteArrayList<>();
  final List<InetAddress> peers = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final Thread acceptor;

  ScriptedSmtpServer() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "scripted-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> session(s), "scripted-smtp-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void session(Socket raw) {
    Socket s = raw;
    try {
      peers.add(raw.getInetAddress());
      if (script.implicitTls) {
        s = tls(s);
      }
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      reply(out, script.greeting);
      if (!script.greeting.startsWith("2")) {
        return;
      }
      boolean secure = script.implicitTls;
      while (true) {
        String line = readLine(in);
        if (line == null) {
          return;
        }
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        commands.add(verb.equals("AUTH") ? "AUTH" : line);
        switch (verb) {
          case "EHLO":
            List<String> ext = new ArrayList<>(script.extensions);
            if (script.offerStartTls && !secure) {
              ext.add("STARTTLS");
            }
            StringBuilder b = new StringBuilder("250-scripted");
            for (int i = 0; i < ext.size(); i++) {
              b.append("\r\n250").append(i == ext.size() - 1 ? " " : "-").append(ext.get(i));
            }
            reply(out, b.toString());
            break;
          case "STARTTLS":
            reply(out, script.starttls);
            if (script.starttls.startsWith("220")) {
              s = tls(s);
              in = s.getInputStream();
              out = s.getOutputStream();
              secure = true;
            }
            break;
          case "AUTH":
            reply(out, checkAuth(line));
            break;
          case "MAIL":
            reply(out, script.mail);
            break;
          case "RCPT":
            String addr = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
            reply(out, script.rcpt.getOrDefault(addr, script.rcptDefault));
            break;
          case "DATA":
            reply(out, script.data);
            if (script.data.startsWith("354")) {
              messages.add(readData(in));
              if (script.afterDot == null) {
                s.setSoLinger(true, 0);
                s.close(); // the reply to the final dot is lost
                return;
              }
              reply(out, script.afterDot);
            }
            break;
          case "RSET":
          case "NOOP":
            reply(out, "250 ok");
            break;
          case "QUIT":
            reply(out, "221 bye");
            return;
          default:
            reply(out, "502 5.5.2 unknown command");
        }
      }
    } catch (IOException e) {
      // the client went away
    } finally {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private String checkAuth(String line) {
    String[] p = line.split(" ");
    if (p.length < 3 || !p[1].equalsIgnoreCase("PLAIN")) {
      return "504 5.5.4 only AUTH PLAIN with an initial response";
    }
    if (!script.auth.startsWith("235")) {
      return script.auth;
    }
    String[] parts =
        new String(Base64.getDecoder().decode(p[2]), StandardCharsets.UTF_8).split("\0");
    if (script.user != null
        && (parts.length < 3
            || !parts[1].equals(script.user)
            || !parts[2].equals(script.password))) {
      return "535 5.7.8 authentication credentials invalid";
    }
    return script.auth;
  }

  private Socket tls(Socket s) throws IOException {
    SSLContext ctx = script.tls;
    if (ctx == null) {
      throw new IOException("no TLS context in the script");
    }
    SSLSocket t =
        (SSLSocket)
            ctx.getSocketFactory()
                .createSocket(s, s.getInetAddress().getHostAddress(), s.getPort(), true);
    t.setUseClientMode(false);
    t.startHandshake();
    return t;
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int prev = -1;
    int c;
    while ((c = in.read()) >= 0) {
      if (prev == '\r' && c == '\n') {
        byte[] bytes = b.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      b.write(c);
      prev = c;
    }
    return null;
  }

  /** Reads DATA lines up to the final dot; undoes dot-stuffing; returns the exact bytes. */
  private static byte[] readData(InputStream in) throws IOException {
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    int c;
    while ((c = in.read()) >= 0) {
      line.write(c);
      if (prev == '\r' && c == '\n') {
        byte[] l = line.toByteArray();
        line.reset();
        if (l.length == 3 && l[0] == '.') {
          return msg.toByteArray();
        }
        int from = l.length > 0 && l[0] == '.' ? 1 : 0;
        msg.write(l, from, l.length - from);
      }
      prev = c;
    }
    throw new IOException("the connection ended inside DATA");
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
