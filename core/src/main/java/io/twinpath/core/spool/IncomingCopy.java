package io.twinpath.core.spool;

import io.twinpath.core.item.OutboundItem;
import java.io.IOException;

/**
 * A copy of a peer's item being received in chunks. Appended bytes survive a crash of the process
 * when {@link #append} returns; they are forced to disk at least every MiB and before {@link
 * #complete()} checks them (a power loss can shorten or damage the end of a partial copy, which the
 * SHA-256 check finds). The copy survives a restart: after {@link Spool#open} it is listed by
 * {@link Spool#incomingCopies()} and {@link Spool#beginCopy} returns it again, so the sender
 * resumes at {@link #received()}. Thread-safe.
 */
public interface IncomingCopy {
  /** The item being copied, as its sender described it. */
  OutboundItem item();

  /** Bytes stored so far; the offset the next chunk must start at. */
  long received();

  /**
   * Stores {@code chunk} at {@code offset}. A chunk wholly before {@link #received()} is a repeat
   * and is ignored; one overlapping it stores only its new tail.
   *
   * @throws IOException when {@code offset} is beyond {@link #received()} (a gap), when the bytes
   *     would pass the item's size, when the copy is finished, or when the disk fails
   */
  void append(long offset, byte[] chunk) throws IOException;

  /** True once every byte has been received (the SHA-256 is checked by {@link #complete()}). */
  default boolean allReceived() {
    return received() == item().size();
  }

  /**
   * Checks the SHA-256 of the received bytes and moves the copy into the spool as a normal item.
   * Calling it again after success returns the item again.
   *
   * @throws IOException when bytes are missing, or when the SHA-256 does not match: the copy is
   *     then reset to 0 bytes so the sender can send it again from offset 0
   */
  OutboundItem complete() throws IOException;
}
