package io.twinpath.secondary.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The items an SMS notice went out for, one id a line, so a restart does not notify twice. Each
 * addition is appended and forced to disk before it counts; {@link #retainOnly} compacts the file
 * atomically (temporary file, fsync, rename).
 */
public final class NotifiedStore {
  private final Path file;
  private final Set<String> ids = new LinkedHashSet<>();

  private NotifiedStore(Path file) {
    this.file = file;
  }

  public static NotifiedStore open(Path file) throws IOException {
    NotifiedStore s = new NotifiedStore(file);
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String t = line.strip();
        if (!t.isEmpty()) {
          s.ids.add(t);
        }
      }
    }
    return s;
  }

  public synchronized boolean contains(String id) {
    return ids.contains(id);
  }

  public synchronized int size() {
    return ids.size();
  }

  /** Records {@code id} durably. */
  public synchronized void add(String id) throws IOException {
    if (id.contains("\n") || !ids.add(id)) {
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
  }

  /** Forgets ids not in {@code live} (finished items), rewriting the file atomically. */
  public synchronized void retainOnly(Collection<String> live) throws IOException {
    if (!ids.retainAll(Set.copyOf(live))) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    StringBuilder b = new StringBuilder();
    ids.forEach(i -> b.append(i).append('\n'));
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent())) {
      dir.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the rename itself is atomic
    }
  }
}
