package io.twinpath.dongle.internal;

import io.twinpath.core.config.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * One MQTT 3.1.1 CONNECT, clean session, and its CONNACK, then DISCONNECT: whether a broker answers
 * at all. A refusal of the credentials is an answer too. No Paho client, so a probe leaves no
 * threads or persistence behind.
 */
public final class BrokerProbe {
  private BrokerProbe() {}

  /**
   * Client ids that Moquette serves on each of its session threads (it picks the thread from the
   * id's hash, one thread per processor): a broker with one dead session thread still answers every
   * id but those of that thread.
   */
  public static List<String> idsForEverySessionThread(String prefix) {
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    String[] ids = new String[loops];
    int found = 0;
    for (int i = 0; found < loops; i++) {
      String id = prefix + i;
      int h = id.hashCode();
      if (h == Integer.MIN_VALUE) {
        continue;
      }
      int loop = Math.abs(h) % loops;
      if (ids[loop] == null) {
        ids[loop] = id;
        found++;
      }
    }
    return Arrays.asList(ids);
  }

  /**
   * Probes {@code host:port} with each client id at once.
   *
   * @return null when every CONNECT was answered within {@code timeout}, else what went wrong as
   *     the end of a sentence starting with "the broker at URL", e.g. "accepts connections but does
   *     not answer MQTT CONNECT within 3 s"
   */
  public static @Nullable String check(
      String host,
      int port,
      SocketFactory sockets,
      List<String> clientIds,
      @Nullable String username,
      @Nullable Secret password,
      Duration timeout) {
    List<CompletableFuture<@Nullable String>> all = new ArrayList<>();
    for (String id : clientIds) {
      CompletableFuture<@Nullable String> f = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> f.complete(once(host, port, sockets, id, username, password, timeout)),
              "twinpath-broker-probe");
      t.setDaemon(true);
      t.start();
      all.add(f);
    }
    for (CompletableFuture<@Nullable String> f : all) {
      String problem = f.join();
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** One probe with one client id; null when answered. */
  static @Nullable String once(
      String host,
      int port,
      SocketFactory sockets,
      String clientId,
      @Nullable String username,
      @Nullable Secret password,
      Duration timeout) {
    int ms = (int) Math.max(1, timeout.toMillis());
    try (Socket s = sockets.createSocket()) {
      try {
        s.connect(new InetSocketAddress(host, port), ms);
      } catch (SocketTimeoutException e) {
        return "does not accept connections within " + seconds(timeout);
      } catch (ConnectException e) {
        return "refuses connections (" + e.getMessage() + ")";
      }
      s.setSoTimeout(ms);
      OutputStream out = s.getOutputStream();
      out.write(connect(clientId, username, password));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] ack = new byte[4];
      int n = 0;
      try {
        while (n < 4) {
          int r = in.read(ack, n, 4 - n);
          if (r < 0) {
            return "accepts connections but closes them without answering MQTT CONNECT";
          }
          n += r;
        }
      } catch (SocketTimeoutException e) {
        return "accepts connections but does not answer MQTT CONNECT within " + seconds(timeout);
      }
      if ((ack[0] & 0xff) != 0x20 || ack[1] != 2) {
        return "answers MQTT CONNECT with something other than CONNACK";
      }
      if (ack[3] == 0) {
        out.write(new byte[] {(byte) 0xe0, 0x00}); // DISCONNECT
        out.flush();
      }
      return null;
    } catch (IOException e) {
      return "cannot be reached (" + e.getMessage() + ")";
    }
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /** The CONNECT packet: MQTT 3.1.1, clean session, keep-alive 10 s. */
  static byte[] connect(String clientId, @Nullable String username, @Nullable Secret password) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, "MQTT");
    body.write(4); // protocol level 3.1.1
    int flags = 0x02; // clean session
    char[] pw = null;
    if (username != null) {
      flags |= 0x80;
      if (password != null) {
        flags |= 0x40;
        pw = password.chars();
      }
    }
    body.write(flags);
    body.write(0);
    body.write(10); // keep-alive
    string(body, clientId);
    if (username != null) {
      string(body, username);
      if (pw != null) {
        byte[] p = new String(pw).getBytes(StandardCharsets.UTF_8);
        Arrays.fill(pw, '\0');
        body.write(p.length >> 8);
        body.write(p.length & 0xff);
        body.write(p, 0, p.length);
        Arrays.fill(p, (byte) 0);
      }
    }
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    int len = body.size();
    do {
      int digit = len % 128;
      len /= 128;
      packet.write(len > 0 ? digit | 0x80 : digit);
    } while (len > 0);
    packet.write(body.toByteArray(), 0, body.size());
    return packet.toByteArray();
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xff);
    out.write(b, 0, b.length);
  }
}
