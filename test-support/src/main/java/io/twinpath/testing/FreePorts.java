package io.twinpath.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers that cannot bind to port 0 themselves (e.g. Mosquitto), or that a
 * test stops and starts again on the same port.
 *
 * <p>Ports come from below the kernel's ephemeral range ({@code ip_local_port_range}), picked at
 * random and never twice in one JVM: a port from port 0 is an ephemeral one, which any outgoing
 * connection on the machine (another test's client, a parallel build) may take as its local port
 * before the test binds it again.
 */
public final class FreePorts {
  private static final int SPAN = 12_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A port that was free on 127.0.0.1 a moment ago. Callers must retry if the bind races. */
  public static int pick() {
    int low = ephemeralLow();
    int from = Math.max(1024, low - SPAN);
    for (int tries = 0; tries < 200; tries++) {
      int port = ThreadLocalRandom.current().nextInt(from, low);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /**
   * Waits (up to 30 s) until a listener can bind {@code port} on 127.0.0.1 again: a server that
   * just closed it may leave a connection closing there (FIN_WAIT), which refuses the bind even
   * with SO_REUSEADDR until the peer has closed too.
   */
  public static void awaitBindable(int port) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(
            () -> {
              try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  /** The lowest ephemeral port (Linux's setting; 32768 when it cannot be read). */
  private static int ephemeralLow() {
    try {
      String range =
          Files.readString(
              Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.US_ASCII);
      int low = Integer.parseInt(range.trim().split("\\s+")[0]);
      return low > 1024 + 1000 ? low : 32768;
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }
}
