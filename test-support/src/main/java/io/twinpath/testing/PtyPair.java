package io.twinpath.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Two connected pseudo-terminals made by {@code socat}: what one end writes, the other reads, just
 * like a modem's serial line. {@link #a()} and {@link #b()} are symlinks to the {@code /dev/pts}
 * devices.
 */
public final class PtyPair implements AutoCloseable {
  private final Process socat;
  private final Path dir;
  private final Path a;
  private final Path b;

  private PtyPair(Process socat, Path dir, Path a, Path b) {
    this.socat = socat;
    this.dir = dir;
    this.a = a;
    this.b = b;
  }

  /** Opens a pair; skips (locally) or fails (CI) when socat is missing. */
  public static PtyPair open() {
    Path binary = SystemComponents.requireCommand("socat", "socat");
    try {
      Path dir = Files.createTempDirectory("twinpath-pty");
      Path a = dir.resolve("a");
      Path b = dir.resolve("b");
      ProcessBuilder pb =
          new ProcessBuilder(
              binary.toString(), "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b);
      pb.redirectErrorStream(true);
      pb.redirectOutput(dir.resolve("socat.log").toFile());
      Process p = pb.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        if (Files.exists(a) && Files.exists(b)) {
          return new PtyPair(p, dir, a, b);
        }
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "socat exited: " + Files.readString(dir.resolve("socat.log")));
        }
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      }
      p.destroyForcibly();
      throw new IllegalStateException("socat did not create the pty links in " + dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One end, e.g. for the modem driver. */
  public Path a() {
    return a;
  }

  /** The other end, e.g. for the simulator. */
  public Path b() {
    return b;
  }

  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    socat.destroy();
    try {
      if (!socat.waitFor(5, TimeUnit.SECONDS)) {
        socat.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TempDirs.delete(dir);
  }
}
