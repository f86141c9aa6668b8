package io.twinpath.core.spool.internal;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.IncomingCopy;
import java.io.IOException;

/** The copy of an item that is already queued: nothing to receive. */
final class DoneCopy implements IncomingCopy {
  private final OutboundItem item;

  DoneCopy(OutboundItem item) {
    this.item = item;
  }

  @Override
  public OutboundItem item() {
    return item;
  }

  @Override
  public long received() {
    return item.size();
  }

  @Override
  public void append(long offset, byte[] chunk) throws IOException {
    if (offset + chunk.length > item.size()) {
      throw new IOException(
          "chunk at " + offset + " passes the end of item " + item.id() + " (" + item.size() + ")");
    }
  }

  @Override
  public OutboundItem complete() {
    return item;
  }
}
