package io.twinpath.core.inbound.internal;

import io.twinpath.core.inbound.InboundId;
import io.twinpath.core.inbound.InboundStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code known.ids} file of an {@link InboundStore}: the 8 bytes {@code TPKNOWN2}, then one
 * 16-byte record per id (the id and the time it became known, milliseconds since the epoch, both
 * big-endian). Records are appended and forced to disk; dropping ids writes the file anew. Not
 * thread-safe: the store calls it with its own lock held.
 */
public final class KnownIdsFile {
  private static final Logger LOG = LoggerFactory.getLogger(InboundStore.class);

  /** The first bytes of {@code known.ids} in the format with times. */
  private static final byte[] MAGIC =
      "TPKNOWN2".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static final int RECORD = 16;

  private final Path dir;
  private final Path knownFile;
  private final Path tmp;
  private final Clock clock;
  private FileChannel knownLog;
  private long tmpCounter;

  /**
   * Opens (creating when needed) {@code known.ids} in the store directory {@code dir}; {@code tmp}
   * is where a new file is written before it replaces the old one.
   */
  public KnownIdsFile(Path dir, Path tmp, Clock clock) throws IOException {
    this.dir = dir;
    this.knownFile = dir.resolve("known.ids");
    this.tmp = tmp;
    this.clock = clock;
    this.knownLog =
        FileChannel.open(
            knownFile,
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
  }

  /**
   * Converts a file from before, drops a torn last record, and gives each known id to {@code
   * known}; appends then go to the end.
   */
  public void load(LongConsumer known) throws IOException {
    if (!hasMagic()) {
      convertFromIdsOnly();
    }
    long size = knownLog.size();
    long whole = MAGIC.length + (size - MAGIC.length) / RECORD * RECORD;
    if (whole != size) {
      LOG.warn("Inbound store {}: dropping a torn last record of known.ids", dir);
      knownLog.truncate(whole);
    }
    forEachRecord((id, since) -> known.accept(id));
    knownLog.position(whole);
  }

  private boolean hasMagic() throws IOException {
    if (knownLog.size() < MAGIC.length) {
      return false;
    }
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length);
    while (b.hasRemaining() && knownLog.read(b, b.position()) > 0) {
      // read the header
    }
    return java.util.Arrays.equals(b.array(), MAGIC);
  }

  /** Rewrites a file of 8-byte ids (or an empty one) in the format with times, dated now. */
  private void convertFromIdsOnly() throws IOException {
    long size = knownLog.size();
    long whole = size - size % 8;
    if (whole != size) {
      LOG.warn("Inbound store {}: dropping a torn last record of known.ids", dir);
    }
    long now = clock.millis();
    List<long[]> records = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long pos = 0;
    while (pos < whole) {
      buf.clear();
      int r = knownLog.read(buf, pos);
      if (r <= 0) {
        break;
      }
      int usable = (int) Math.min(r - r % 8, whole - pos);
      for (int i = 0; i < usable; i += 8) {
        records.add(new long[] {buf.getLong(i), now});
      }
      pos += usable;
    }
    rewriteKnown(records.iterator());
    if (!records.isEmpty()) {
      LOG.info(
          "Inbound store {}: known.ids converted to the format with times ({} ids)",
          dir,
          records.size());
    }
  }

  /** Calls {@code f} with each (id, known-since millis) record of {@code known.ids}. */
  public void forEachRecord(java.util.function.BiConsumer<Long, Long> f) throws IOException {
    long end = knownLog.size();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long pos = MAGIC.length;
    while (pos + RECORD <= end) {
      buf.clear();
      int r = knownLog.read(buf, pos);
      if (r <= 0) {
        break;
      }
      int usable = (int) Math.min(r - r % RECORD, end - pos);
      if (usable < RECORD) {
        break;
      }
      for (int i = 0; i + RECORD <= usable; i += RECORD) {
        f.accept(buf.getLong(i), buf.getLong(i + 8));
      }
      pos += usable;
    }
  }

  /** Replaces {@code known.ids} with these records (tmp, force, rename, force the directory). */
  public void rewriteKnown(java.util.Iterator<long[]> records) throws IOException {
    Path t;
    synchronized (this) {
      t = tmp.resolve("known-" + (++tmpCounter) + "-" + ProcessHandle.current().pid());
    }
    try (FileChannel ch =
        FileChannel.open(
            t,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      buf.put(MAGIC);
      while (records.hasNext()) {
        if (buf.remaining() < RECORD) {
          buf.flip();
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          buf.clear();
        }
        long[] r = records.next();
        buf.putLong(r[0]).putLong(r[1]);
      }
      buf.flip();
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    knownLog.close();
    Files.move(t, knownFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    StoreFiles.forceDir(dir);
    knownLog =
        FileChannel.open(
            knownFile,
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    knownLog.position(knownLog.size());
  }

  /** Appends a record for each of {@code fresh}, dated now, and forces them to disk. */
  public void append(List<InboundId> fresh) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(RECORD * fresh.size());
    long now = clock.millis();
    for (InboundId id : fresh) {
      buf.putLong(id.value()).putLong(now);
    }
    buf.flip();
    while (buf.hasRemaining()) {
      knownLog.write(buf);
    }
    knownLog.force(false);
  }

  public void close() throws IOException {
    knownLog.close();
  }
}
