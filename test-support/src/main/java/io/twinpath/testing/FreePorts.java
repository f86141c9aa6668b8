package io.twinpath.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports for servers that cannot bind to port 0 themselves (e.g. Mosquitto), or that a
 * test stops and starts again on the same port.
 *
 * <p>A port is never handed out twice in one JVM, so a test cannot meet a server that an earlier
 * test left closing on it.
 */
public final class FreePorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /**
   * A port that was free on 127.0.0.1 a moment ago, never handed out twice in one JVM. Callers must
   * retry if the bind races.
   */
  public static int pick() {
    for (int tries = 0; tries < 100; tries++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        int port = s.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
    }
    throw new IllegalStateException("no loopback port that was not handed out before");
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
}
