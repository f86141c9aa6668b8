package io.twinpath.core.engine;

import io.twinpath.core.item.ItemId;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the engine finds item bytes and keeps copies from peers: the device's spool, seen through
 * the little the engine needs. {@link Coordinator.Builder#spool} adapts the spool; tests may use
 * any implementation. Implementations must be thread-safe and crash-safe.
 */
public interface ItemStore {
  /** A complete item held here (queued here, or a finished copy). */
  Optional<ItemMeta> get(ItemId id);

  /** Every complete item held here. */
  List<ItemMeta> list();

  /** The exact bytes of a complete item. */
  InputStream open(ItemId id) throws IOException;

  /** Deletes an item and any partial copy of it; nothing when absent. */
  void delete(ItemId id) throws IOException;

  /**
   * Removes what was set aside as damaged (a spool's quarantine) and expired before {@code cutoff}.
   * Returns how many entries were removed; a store without such a place removes nothing.
   */
  default int expireDamaged(Instant cutoff) throws IOException {
    return 0;
  }

  /** Starts, or resumes after a restart, receiving a copy of a peer's item. */
  CopySink beginCopy(ItemMeta meta) throws IOException;

  /** A copy being received. */
  interface CopySink {
    /** Bytes stored so far: where the next chunk must start. */
    long received();

    /** Stores a chunk at {@code offset}; a repeat is ignored; a gap throws. */
    void append(long offset, byte[] chunk) throws IOException;

    /** Verifies size and SHA-256; on a mismatch throws and resets the copy to 0 bytes. */
    ItemMeta complete() throws IOException;
  }
}
