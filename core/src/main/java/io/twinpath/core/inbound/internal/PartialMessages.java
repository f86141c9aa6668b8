package io.twinpath.core.inbound.internal;

import io.twinpath.core.inbound.InboundId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Messages received from a peer in chunks: {@code partial/<id>.part}, whose length is the resume
 * offset. The bytes count against the inbound store's budget.
 */
public final class PartialMessages {
  /** The inbound store's budget, as the partial messages use it. */
  public interface Budget {
    /** Counts {@code add} more bytes of message {@code id}, or refuses them with an exception. */
    void reserve(InboundId id, int add) throws IOException;

    /** Gives back {@code n} bytes. */
    void release(long n);
  }

  private final Path partial;
  private final Budget budget;

  public PartialMessages(Path partial, Budget budget) {
    this.partial = partial;
    this.budget = budget;
  }

  /** How many bytes of {@code id} have been received so far (the resume offset). */
  public long length(InboundId id) throws IOException {
    Path p = partial.resolve(id + ".part");
    return Files.exists(p) ? Files.size(p) : 0;
  }

  /**
   * Appends a chunk at {@code offset}, which must be the current length (a chunk wholly before it
   * is a repeat and is ignored).
   *
   * @return the new length
   * @throws IOException when the chunk leaves a gap or would pass the budget
   */
  public long append(InboundId id, long offset, byte[] chunk) throws IOException {
    Path p = partial.resolve(id + ".part");
    try (FileChannel ch =
        FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long len = ch.size();
      if (offset + chunk.length <= len) {
        return len; // a repeat
      }
      if (offset > len) {
        throw new IOException(
            "a chunk of message "
                + id
                + " starts at "
                + offset
                + " but "
                + len
                + " bytes are here");
      }
      int skip = (int) (len - offset);
      int add = chunk.length - skip;
      budget.reserve(id, add);
      ByteBuffer buf = ByteBuffer.wrap(chunk, skip, add);
      long pos = len;
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
      ch.force(false);
      return pos;
    }
  }

  /**
   * Checks a fully received message against its size and SHA-256 and returns its bytes; on a
   * mismatch the partial file is removed so the transfer starts again.
   *
   * @throws IOException naming the mismatch
   */
  public byte[] complete(InboundId id, long size, String sha256) throws IOException {
    Path p = partial.resolve(id + ".part");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new IOException("no bytes of message " + id + " have been received", e);
    }
    String actual = StoreFiles.sha256(new java.io.ByteArrayInputStream(bytes));
    if (bytes.length != size || !actual.equalsIgnoreCase(sha256)) {
      drop(id);
      throw new IOException(
          "message "
              + id
              + " arrived with "
              + bytes.length
              + " bytes and SHA-256 "
              + actual
              + "; the sender announced "
              + size
              + " bytes and "
              + sha256
              + "; it is requested again");
    }
    return bytes;
  }

  /** Removes a partial transfer (after it was completed and stored elsewhere, or was bad). */
  public void drop(InboundId id) throws IOException {
    Path p = partial.resolve(id + ".part");
    if (Files.exists(p)) {
      long len = Files.size(p);
      Files.deleteIfExists(p);
      budget.release(len);
    }
  }
}
