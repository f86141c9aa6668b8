package io.twinpath.core.wire;

import io.twinpath.core.wire.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This device's outgoing command sequence: strictly increasing across restarts and power loss.
 * Numbers are reserved on disk in blocks (fsync), so a restart skips the rest of a block instead of
 * reusing a number a peer has already seen. Thread-safe.
 */
public final class SequenceCounter {
  static final long BLOCK = 4096;

  private final Path file;
  private long next;
  private long reservedUpTo;

  private SequenceCounter(Path file, long start) {
    this.file = file;
    this.next = start;
    this.reservedUpTo = start;
  }

  /** Opens the counter stored in {@code file}, creating it at 1. */
  public static SequenceCounter open(Path file) throws IOException {
    long start = 1;
    if (Files.exists(file)) {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      try {
        start = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IOException(
            "the sequence file "
                + file
                + " holds '"
                + text
                + "', not a number; restore it, or"
                + " write a number larger than any sequence peers have seen",
            e);
      }
    }
    return new SequenceCounter(file, start);
  }

  /** The next number, never returned before by this device. */
  public synchronized long next() throws IOException {
    if (next >= reservedUpTo) {
      long reserve = next + BLOCK;
      AtomicFiles.write(
          file, Long.toString(reserve).getBytes(StandardCharsets.US_ASCII), true, false);
      reservedUpTo = reserve;
    }
    return next++;
  }
}
