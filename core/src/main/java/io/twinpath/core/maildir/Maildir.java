package io.twinpath.core.maildir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A Maildir folder ({@code cur/}, {@code new/}, {@code tmp/}) that messages are delivered into.
 *
 * <p>Delivery follows the Maildir rules so that any reader sees a message either completely or not
 * at all: the bytes are written to a new file in {@code tmp/}, forced to disk, linked into {@code
 * new/} under the same unique name, the {@code tmp/} name is removed and the {@code new/} directory
 * is forced to disk. A crash at any point leaves at most a stray file in {@code tmp/}, never a
 * partial message in {@code new/}.
 *
 * <p>Names have the form {@code <seconds>.M<microseconds>P<pid>Q<n>.<host>}: the delivery time, the
 * process id, a per-process delivery counter and the host name (with {@code /} written as {@code
 * \057} and {@code :} as {@code \072}, as the Maildir rules ask). A name is never reused: the file
 * is created exclusively and the counter moves on when a name is taken.
 *
 * <p>Line endings are stored the Maildir way: every CR LF pair in the input becomes a single LF
 * (messages fetched over IMAP or POP3 arrive with CR LF). Lone CR and LF bytes are kept as they
 * are. Instances are safe for use by several threads.
 */
public final class Maildir {
  private static final AtomicLong DELIVERIES = new AtomicLong();
  private static final int MAX_NAME_ATTEMPTS = 1_000;

  private final Path root;
  private final Path tmp;
  private final Path newDir;
  private final Path cur;
  private final Clock clock;
  private final String host;
  private final long pid;

  private Maildir(Path root, Clock clock, String host) {
    this.root = root;
    this.tmp = root.resolve("tmp");
    this.newDir = root.resolve("new");
    this.cur = root.resolve("cur");
    this.clock = clock;
    this.host = host;
    this.pid = ProcessHandle.current().pid();
  }

  /**
   * Opens the Maildir at {@code dir}, creating it and its {@code cur}, {@code new} and {@code tmp}
   * directories when they do not exist yet.
   *
   * @throws IOException when the directories cannot be created or {@code dir} is not a directory
   */
  public static Maildir open(Path dir) throws IOException {
    return open(dir, Clock.systemUTC());
  }

  /** Like {@link #open(Path)}, with the clock that dates the names of delivered files. */
  public static Maildir open(Path dir, Clock clock) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(clock, "clock");
    Path root = dir.toAbsolutePath();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IOException("the Maildir path " + root + " exists but is not a directory");
    }
    for (String sub : List.of("cur", "new", "tmp")) {
      Files.createDirectories(root.resolve(sub));
    }
    forceDirectory(root);
    return new Maildir(root, clock, encodeHost(localHostName()));
  }

  /** The Maildir's top directory. */
  public Path root() {
    return root;
  }

  /**
   * Delivers one message into {@code new/}. The stream is read to its end but not closed.
   *
   * @return the path of the delivered file in {@code new/}
   * @throws IOException when the message cannot be stored (e.g. the disk is full); nothing is left
   *     in {@code new/} then, and the temporary file is removed
   */
  public Path deliver(InputStream message) throws IOException {
    return deliver(message, "");
  }

  /**
   * Delivers one message whose file name carries {@code label} in its unique part ({@code
   * <seconds>.M<usec>P<pid>Q<n>_<label>.<host>}), so that {@link #findLabelled(String)} can tell
   * later whether it was delivered (e.g. after a crash right after delivery).
   *
   * @param label 1-64 letters, digits and dashes, or empty for none
   */
  public Path deliver(InputStream message, String label) throws IOException {
    Objects.requireNonNull(message, "message");
    checkLabel(label);
    for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
      String name = uniqueName(label);
      Path tmpFile = tmp.resolve(name);
      Path target = newDir.resolve(name);
      if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      FileChannel channel;
      try {
        channel =
            FileChannel.open(tmpFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        continue;
      }
      boolean stored = false;
      try {
        try (channel) {
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 65_536);
          copyWithLfLineEndings(message, out);
          out.flush();
          channel.force(true);
        }
        forceDirectory(tmp);
        if (!publish(tmpFile, target)) {
          continue;
        }
        forceDirectory(newDir);
        stored = true;
        return target;
      } finally {
        if (!stored) {
          Files.deleteIfExists(tmpFile);
        }
      }
    }
    throw new IOException(
        "no unique file name could be found in "
            + newDir
            + " after "
            + MAX_NAME_ATTEMPTS
            + " tries");
  }

  /** Delivers a message held in memory; see {@link #deliver(InputStream)}. */
  public Path deliver(byte[] message) throws IOException {
    return deliver(new java.io.ByteArrayInputStream(message));
  }

  /** Delivers a message held in memory with a label; see {@link #deliver(InputStream, String)}. */
  public Path deliver(byte[] message, String label) throws IOException {
    return deliver(new java.io.ByteArrayInputStream(message), label);
  }

  /**
   * The files currently in {@code new/} and {@code cur/}, sorted by name (that is, by delivery time
   * for names made here).
   */
  public List<Path> list() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path d : List.of(newDir, cur)) {
      try (Stream<Path> files = Files.list(d)) {
        files.filter(Files::isRegularFile).forEach(out::add);
      }
    }
    out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    return out;
  }

  @Override
  public String toString() {
    return "Maildir " + root;
  }

  /** Links tmp into new (fails rather than replace), then drops the tmp name. */
  private static boolean publish(Path tmpFile, Path target) throws IOException {
    try {
      Files.createLink(target, tmpFile);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // file systems without hard links: an atomic rename, after checking the name is free
      if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      try {
        Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException notAtomic) {
        throw new IOException(
            "the Maildir " + target.getParent() + " supports neither hard links nor atomic renames",
            notAtomic);
      }
      return true;
    }
    Files.delete(tmpFile);
    return true;
  }

  private String uniqueName(String label) {
    Instant now = clock.instant();
    long micros = now.getNano() / 1_000L;
    long n = DELIVERIES.incrementAndGet();
    String tag = label.isEmpty() ? "" : "_" + label;
    return now.getEpochSecond() + ".M" + micros + "P" + pid + "Q" + n + tag + "." + host;
  }

  private static void checkLabel(String label) {
    if (label.length() > 64
        || !label.chars().allMatch(c -> c == '-' || c < 128 && Character.isLetterOrDigit(c))) {
      throw new IllegalArgumentException(
          "Maildir label '" + label + "' is not accepted; use up to 64 letters, digits and dashes");
    }
  }

  /**
   * The messages in {@code new/} and {@code cur/} delivered with {@code label} (readers may have
   * moved them to {@code cur/} and added flags; the base name stays).
   */
  public List<Path> findLabelled(String label) throws IOException {
    checkLabel(label);
    if (label.isEmpty()) {
      return List.of();
    }
    String tag = "_" + label + ".";
    List<Path> out = new ArrayList<>();
    for (Path p : list()) {
      if (p.getFileName().toString().contains(tag)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Copies, turning each CR LF into LF. */
  static void copyWithLfLineEndings(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[65_536];
    boolean pendingCr = false;
    int r;
    while ((r = in.read(buf)) >= 0) {
      int start = 0;
      for (int i = 0; i < r; i++) {
        byte b = buf[i];
        if (pendingCr) {
          pendingCr = false;
          if (b != '\n') {
            out.write('\r');
          }
        }
        if (b == '\r') {
          out.write(buf, start, i - start);
          start = i + 1;
          pendingCr = true;
        }
      }
      out.write(buf, start, r - start);
    }
    if (pendingCr) {
      out.write('\r');
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms cannot open a directory for syncing; Linux can, and then errors count
      if (isLinux()) {
        throw e;
      }
    }
  }

  private static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
  }

  private static String localHostName() {
    try {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(kernel)) {
        String name = Files.readString(kernel, StandardCharsets.UTF_8).trim();
        if (!name.isEmpty()) {
          return name;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the next source
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** The Maildir rules: {@code /} becomes {@code \057}, {@code :} becomes {@code \072}. */
  static String encodeHost(String host) {
    StringBuilder sb = new StringBuilder(host.length());
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '/') {
        sb.append("\\057");
      } else if (c == ':') {
        sb.append("\\072");
      } else if (c < 0x21 || c == 0x7f) {
        sb.append('_');
      } else {
        sb.append(c);
      }
    }
    return sb.length() == 0 ? "localhost" : sb.toString();
  }
}
