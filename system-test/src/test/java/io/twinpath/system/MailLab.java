package io.twinpath.system;

import io.twinpath.testing.SystemComponents;
import io.twinpath.testing.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The system-test lab (see {@code lab/lab.sh}): Postfix (submission with SASL and STARTTLS) and
 * Dovecot (IMAP/POP3) in a mail namespace, a host namespace whose own route to the mail server can
 * be cut, a cellular route from the root namespace, and a USB link for MQTT.
 */
final class MailLab implements AutoCloseable {
  private final Path dir;
  private final Path script;
  private final Map<String, String> env;

  private MailLab(Path dir, Path script, Map<String, String> env) {
    this.dir = dir;
    this.script = script;
    this.env = env;
  }

  /** Builds the lab; skips locally / fails under CI when root or a program is missing. */
  static MailLab up() {
    SystemComponents.requireRoot("to create network namespaces and veth pairs");
    SystemComponents.requireCommand("ip", "iproute2");
    SystemComponents.requireCommand("postfix", "postfix");
    SystemComponents.requireCommand("dovecot", "dovecot-core");
    SystemComponents.requireCommand("openssl", "openssl");
    try {
      Path dir = Files.createTempDirectory("twinpath-lab");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path script = dir.resolve("lab.sh");
      try (InputStream in = MailLab.class.getResourceAsStream("/lab/lab.sh")) {
        if (in == null) {
          throw new IllegalStateException("lab/lab.sh is missing from the test resources");
        }
        Files.copy(in, script);
      }
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      run(script, "up", dir);
      return new MailLab(dir, script, readEnv(dir.resolve("lab.env")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> m = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  static String run(Path script, String verb, Path dir) {
    return exec(List.of(script.toString(), verb, dir.toString()));
  }

  /** Runs a command, returns its output; throws with the output when it fails. */
  static String exec(List<String> command) {
    try {
      // output goes to a file, not a pipe: daemons started by the command may keep a pipe open
      Path out = Files.createTempFile("twinpath-exec", ".out");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (!done) {
          p.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish in 120 s:\n" + text);
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The command prefix that runs something inside the host's namespace. */
  List<String> inHostNamespace(List<String> command) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", env.get("NS_HOST")));
    c.addAll(command);
    return c;
  }

  /** The command prefix that runs something inside the mail server's namespace. */
  List<String> inMailNamespace(List<String> command) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", env.get("NS_MAIL")));
    c.addAll(command);
    return c;
  }

  String get(String key) {
    String v = env.get(key);
    if (v == null) {
      throw new IllegalArgumentException("lab.env has no " + key);
    }
    return v;
  }

  /** The mail server's address as seen from the host namespace. */
  String mailFromHost() {
    return get("MAIL_FROM_HOST");
  }

  /** The mail server's address as seen from the root namespace (the cellular route). */
  String mailFromCell() {
    return get("MAIL_FROM_CELL");
  }

  /** The root namespace's end of the USB link (where the dongle's broker listens). */
  String usbRoot() {
    return get("USB_ROOT");
  }

  Path caCertificate() {
    return dir.resolve("tls/ca.pem");
  }

  Path directory() {
    return dir;
  }

  /** Takes the host's own route down ({@code ip link set … down}). */
  void cutHostRoute() {
    run(script, "cut", dir);
  }

  void healHostRoute() {
    run(script, "heal", dir);
  }

  /** Files delivered into a mailbox's new/ and cur/ directories. */
  List<Path> mailbox(String user) {
    Path box = dir.resolve("mail").resolve(get("MAIL_DOMAIN")).resolve(user);
    List<Path> files = new ArrayList<>();
    for (String sub : List.of("new", "cur")) {
      Path d = box.resolve(sub);
      if (Files.isDirectory(d)) {
        try (Stream<Path> s = Files.list(d)) {
          s.forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return files;
  }

  String postfixLog() {
    return log("postfix.log");
  }

  /** Dovecot's log: logins with the client's address ({@code rip=}). */
  String dovecotLog() {
    return log("dovecot.log");
  }

  private String log(String name) {
    try {
      Path log = dir.resolve(name);
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes the namespaces and daemons, then the lab's directory (configs, mailboxes, logs) unless
   * {@code TWINPATH_KEEP_LAB=1} asks to keep it for a look after a failure.
   */
  @Override
  public void close() {
    run(script, "down", dir);
    if ("1".equals(System.getenv("TWINPATH_KEEP_LAB"))) {
      System.err.println("TWINPATH_KEEP_LAB=1: the lab's files stay in " + dir);
    } else {
      try {
        TempDirs.delete(dir);
      } catch (java.io.UncheckedIOException e) {
        System.err.println("the lab's files could not all be removed: " + e.getMessage());
      }
    }
  }
}
