package io.twinpath.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A real Mosquitto broker on a free loopback port, in a private directory.
 *
 * <p>Persistence is on, so {@link #restart()} keeps retained messages and persistent sessions like
 * a real broker restart does. Use {@link MosquittoExtension} to get one per test class.
 */
public final class MosquittoBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path binary;
  private final Path dir;
  private int port;
  private @Nullable Process process;

  private MosquittoBroker(Path binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
  }

  /**
   * Starts a broker. Skips the calling test (locally) or fails it (CI) when Mosquitto is not
   * installed.
   */
  public static MosquittoBroker start() {
    Path binary = SystemComponents.requireCommand("mosquitto", "mosquitto");
    try {
      MosquittoBroker broker =
          new MosquittoBroker(binary, Files.createTempDirectory("twinpath-mosquitto"));
      broker.launchOnFreePort();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL for Paho, e.g. {@code tcp://127.0.0.1:41234}. */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The broker's private directory (config, log, persistence); removed by {@link #close()}. */
  public Path directory() {
    return dir;
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Stops the broker (SIGTERM, then SIGKILL) and keeps its persistence file. */
  public void stop() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kills the broker without letting it save anything, like a power cut. */
  public void kill() {
    Process p = process;
    process = null;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops and starts again on the same port with the same persistence. */
  public void restart() {
    stop();
    launch(port);
  }

  /** Stops the broker and removes its private directory. */
  @Override
  public void close() {
    stop();
    TempDirs.delete(dir);
  }

  private void launchOnFreePort() {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        launch(FreePorts.pick());
        return;
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  private void launch(int wantedPort) {
    this.port = wantedPort;
    Path conf = dir.resolve("mosquitto.conf");
    String config =
        String.join(
            "\n",
            "listener " + wantedPort + " 127.0.0.1",
            // run as whoever runs the tests, so the private directory stays writable
            "user " + System.getProperty("user.name"),
            "allow_anonymous true",
            "persistence true",
            "persistence_location " + dir + "/",
            "autosave_interval 1",
            // as docs/PROTOCOL.md asks of brokers: without it small replies wait for delayed ACKs
            "set_tcp_nodelay true",
            "max_queued_messages 100000",
            "log_dest file " + dir.resolve("mosquitto.log"),
            "log_type error",
            "log_type warning",
            "log_type notice",
            "");
    try {
      Files.writeString(conf, config, StandardCharsets.UTF_8);
      ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-c", conf.toString());
      pb.redirectErrorStream(true);
      pb.redirectOutput(dir.resolve("mosquitto.out").toFile());
      Process p = pb.start();
      this.process = p;
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "mosquitto exited with status "
                  + p.exitValue()
                  + " on port "
                  + wantedPort
                  + ": "
                  + Files.readString(dir.resolve("mosquitto.out")));
        }
        if (accepts(wantedPort)) {
          return;
        }
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
      stop();
      throw new IllegalStateException("mosquitto did not listen on port " + wantedPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
