package io.twinpath.kura.it;

import io.twinpath.testing.FreePorts;
import io.twinpath.testing.SystemComponents;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A real Mosquitto on a free loopback port that admits one user with a password, nobody else. */
final class PasswordMosquitto implements AutoCloseable {
  private final Process process;
  private final int port;

  private PasswordMosquitto(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static PasswordMosquitto start(Path dir, String user, String password) throws Exception {
    Path mosquitto = SystemComponents.requireCommand("mosquitto", "mosquitto");
    Path passwd = SystemComponents.requireCommand("mosquitto_passwd", "mosquitto");
    Files.createDirectories(dir);
    Path passwords = dir.resolve("passwords");
    Files.deleteIfExists(passwords);
    Process p =
        new ProcessBuilder(passwd.toString(), "-b", "-c", passwords.toString(), user, password)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("passwd.out").toFile())
            .start();
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "mosquitto_passwd failed: " + Files.readString(dir.resolve("passwd.out")));
    }
    int port = FreePorts.pick();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "listener " + port + " 127.0.0.1",
            "user " + System.getProperty("user.name"),
            "allow_anonymous false",
            "password_file " + passwords,
            "log_dest file " + dir.resolve("mosquitto.log"),
            ""),
        StandardCharsets.UTF_8);
    Process broker =
        new ProcessBuilder(mosquitto.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.out").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!broker.isAlive()) {
        throw new IllegalStateException(
            "mosquitto exited: " + Files.readString(dir.resolve("mosquitto.out")));
      }
      if (accepts(port)) {
        return new PasswordMosquitto(broker, port);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    broker.destroyForcibly();
    throw new IllegalStateException("mosquitto did not listen on port " + port);
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
