package io.twinpath.core.spool;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.internal.FileSpool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The items a device holds, on disk, crash-safe: an item whose {@link #enqueue} returned survives
 * {@code kill -9} and power loss until {@link #delete}. Every write goes to a temporary file, is
 * forced to disk, atomically renamed into place, and the directory is forced too.
 *
 * <p>Layout of the directory (documented in {@code docs/PROTOCOL.md}, "Spool layout"):
 *
 * <pre>
 * dir/.lock                      held while a process has the spool open
 * dir/items/ULID/meta.json       the item description ({@link OutboundItem#toJson()})
 * dir/items/ULID/message.eml     the exact RFC 5322 bytes that are sent
 * dir/items/ULID/state.json      the item's state, when saved ({@link ItemState})
 * dir/incoming/ULID/...          copies being received from a peer (same files)
 * dir/tmp/                       work in progress; never holds an acknowledged item
 * dir/quarantine/                damaged entries found at open, with a reason file; removed
 *                                once their item has expired
 * </pre>
 *
 * <p>Implementations are thread-safe. One process at a time may open a directory.
 */
public interface Spool extends AutoCloseable {
  /** Opens (creating if needed) the spool in {@code dir} with the default options. */
  static Spool open(Path dir) throws IOException {
    return open(dir, SpoolOptions.defaults());
  }

  /**
   * Opens (creating if needed) the spool in {@code dir}. Damaged or unfinished entries are moved to
   * {@code quarantine/} and listed by {@link #problems()}; the spool opens anyway.
   *
   * @throws IOException when the directory cannot be used or another process has it open
   */
  static Spool open(Path dir, SpoolOptions options) throws IOException {
    return FileSpool.open(dir, options);
  }

  /**
   * Stores a prepared message (see {@link io.twinpath.core.item.MessagePreparer}) as a new item.
   * When this returns, the item is on disk; the caller may acknowledge it to the user.
   *
   * @param preparedMessage CRLF line endings, a header section with {@code Message-ID} and {@code
   *     Date}, ending with CRLF; read to its end, not closed
   * @throws io.twinpath.core.item.InvalidMessageException when the bytes are not a prepared message
   * @throws SpoolFullException when the storage budget or the disk is full
   */
  OutboundItem enqueue(
      Envelope envelope, InputStream preparedMessage, Instant expiresAt, DeviceId origin)
      throws IOException;

  /**
   * The exact bytes of an item (queued, or an incoming copy's bytes received so far). The stream
   * checks size and SHA-256 of a queued item as it reaches the end, and fails its last read on a
   * mismatch, so a damaged file is never sent whole.
   *
   * @throws java.nio.file.NoSuchFileException when the spool has no such item
   */
  InputStream openMessage(ItemId id) throws IOException;

  /** Queued items (complete incoming copies included), oldest first. */
  List<OutboundItem> list();

  Optional<OutboundItem> get(ItemId id);

  /**
   * Removes the item and every file of it: message, description, state, and an incoming copy of it.
   * Does nothing when the spool has no such item.
   */
  void delete(ItemId id) throws IOException;

  /**
   * Atomically replaces the state of a queued item or of an incoming copy.
   *
   * @throws java.nio.file.NoSuchFileException when the spool has no such item or copy
   */
  void saveState(ItemId id, ItemState state) throws IOException;

  /** The last saved state, if any. */
  Optional<ItemState> state(ItemId id) throws IOException;

  /**
   * Starts receiving, or resumes, a copy of a peer's item. When the item is already queued here,
   * the returned copy is complete and {@link IncomingCopy#complete()} returns it.
   *
   * @throws SpoolFullException when the item does not fit the storage budget
   * @throws IOException when an unfinished copy with a different description exists
   */
  IncomingCopy beginCopy(OutboundItem item) throws IOException;

  /** Copies still being received, oldest first (after a restart: the ones to resume). */
  List<IncomingCopy> incomingCopies();

  /** Damaged or unfinished entries found (and quarantined) when the spool was opened. */
  List<SpoolProblem> problems();

  /**
   * Removes quarantined entries whose item expired before {@code cutoff} (see {@link
   * SpoolOptions#quarantineKeep()} for entries whose expiry is unknown), and drops them from {@link
   * #problems()}.
   *
   * @return how many were removed
   */
  int expireQuarantine(Instant cutoff) throws IOException;

  /** Message bytes held (queued items and incoming copies at their full size). */
  long usedBytes();

  /** The storage budget. */
  long maxBytes();

  Path directory();

  /** Releases the directory lock; the spool is unusable afterwards. */
  @Override
  void close() throws IOException;
}
