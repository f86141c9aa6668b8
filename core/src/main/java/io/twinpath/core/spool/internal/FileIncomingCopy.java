package io.twinpath.core.spool.internal;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.IncomingCopy;
import io.twinpath.core.spool.SpoolFullException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/** A copy under {@code incoming/ULID/}: appended in place, verified and promoted at the end. */
final class FileIncomingCopy implements IncomingCopy {
  /**
   * Appended data is forced to disk at least this often, and before the copy is verified. A process
   * crash loses nothing (the kernel has the bytes); a power loss may leave a partial copy shorter,
   * or with damaged bytes at its end, which the SHA-256 check at completion finds (the copy then
   * starts again from 0). A copy is never used before that check.
   */
  static final long FORCE_EVERY = 1024 * 1024;

  private final FileSpool spool;
  private final OutboundItem item;
  private final Path entry;
  private long received;

  /** Bytes appended since the data was last forced to disk. */
  private long unforced;

  private @Nullable FileChannel channel;
  private @Nullable OutboundItem done;
  private boolean discarded;

  FileIncomingCopy(FileSpool spool, OutboundItem item, Path entry, long received) {
    this.spool = spool;
    this.item = item;
    this.entry = entry;
    this.received = received;
  }

  @Override
  public OutboundItem item() {
    return item;
  }

  @Override
  public synchronized long received() {
    return done != null ? item.size() : received;
  }

  @Override
  public synchronized void append(long offset, byte[] chunk) throws IOException {
    if (done != null) {
      if (offset + chunk.length > item.size()) {
        throw new IOException(chunkError(offset, chunk.length, "passes the end of the item"));
      }
      return; // a repeat after completion
    }
    if (discarded) {
      throw new IOException("the copy of item " + item.id() + " was deleted or the spool closed");
    }
    if (offset < 0 || offset > received) {
      throw new IOException(
          chunkError(
              offset, chunk.length, "leaves a gap; the next chunk must start at " + received));
    }
    if (offset + chunk.length > item.size()) {
      throw new IOException(chunkError(offset, chunk.length, "passes the end of the item"));
    }
    long end = offset + chunk.length;
    if (end <= received) {
      return; // a repeat
    }
    int skip = (int) (received - offset);
    FileChannel ch = channel();
    try {
      ByteBuffer b = ByteBuffer.wrap(chunk, skip, chunk.length - skip);
      long pos = received;
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
      unforced += chunk.length - skip;
      if (unforced >= FORCE_EVERY) {
        spool.durable().force(ch);
        unforced = 0;
      }
    } catch (IOException e) {
      // keep what is certainly there; a partial write is overwritten by the resend
      ch.truncate(received);
      if (FileSpool.isDiskFull(e)) {
        throw new SpoolFullException(
            "the disk is full while receiving a copy of item " + item.id(), e);
      }
      throw e;
    }
    received = end;
  }

  private String chunkError(long offset, int length, String what) {
    return "chunk of "
        + length
        + " bytes at offset "
        + offset
        + " for item "
        + item.id()
        + " ("
        + item.size()
        + " bytes) "
        + what;
  }

  private FileChannel channel() throws IOException {
    FileChannel ch = channel;
    if (ch == null) {
      ch = FileChannel.open(entry.resolve(FileSpool.MESSAGE), StandardOpenOption.WRITE);
      ch.truncate(received);
      channel = ch;
    }
    return ch;
  }

  @Override
  public synchronized OutboundItem complete() throws IOException {
    if (done != null) {
      return done;
    }
    if (discarded) {
      throw new IOException("the copy of item " + item.id() + " was deleted or the spool closed");
    }
    if (received != item.size()) {
      throw new IOException(
          "the copy of item "
              + item.id()
              + " has "
              + received
              + " of "
              + item.size()
              + " bytes; send the rest from offset "
              + received);
    }
    FileChannel open = channel;
    if (open != null && unforced > 0) {
      spool.durable().force(open);
      unforced = 0;
    }
    closeChannel();
    MessageDigest digest = FileSpool.sha256();
    try (InputStream in = Files.newInputStream(entry.resolve(FileSpool.MESSAGE))) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        digest.update(buf, 0, n);
      }
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(item.sha256())) {
      try (FileChannel ch =
          FileChannel.open(entry.resolve(FileSpool.MESSAGE), StandardOpenOption.WRITE)) {
        ch.truncate(0);
        spool.durable().force(ch);
      }
      received = 0;
      throw new IOException(
          "the copy of item "
              + item.id()
              + " does not match its SHA-256 ("
              + actual
              + " != "
              + item.sha256()
              + "); it was reset, send it again from offset 0");
    }
    done = spool.promote(this, entry);
    return done;
  }

  /** Closes the file; called on delete and spool close. */
  synchronized void discard() {
    discarded = true;
    closeChannel();
  }

  private void closeChannel() {
    FileChannel ch = channel;
    channel = null;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // the data was forced already
      }
    }
  }

  @Override
  public String toString() {
    return "copy of " + item.id() + " (" + received() + "/" + item.size() + " bytes)";
  }
}
