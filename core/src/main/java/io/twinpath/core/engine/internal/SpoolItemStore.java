package io.twinpath.core.engine.internal;

import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.engine.ItemStore;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.IncomingCopy;
import io.twinpath.core.spool.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The engine's view of a device's spool. */
public final class SpoolItemStore implements ItemStore {
  private final Spool spool;

  public SpoolItemStore(Spool spool) {
    this.spool = spool;
  }

  public static ItemMeta meta(OutboundItem i) {
    return new ItemMeta(
        i.id(),
        i.envelope(),
        i.createdAt(),
        i.expiresAt(),
        i.size(),
        i.sha256(),
        i.messageId(),
        i.origin());
  }

  public static OutboundItem item(ItemMeta m) {
    return OutboundItem.of(
        m.id(),
        m.envelope(),
        m.createdAt(),
        m.expiresAt(),
        m.size(),
        m.sha256(),
        m.messageId(),
        m.origin());
  }

  @Override
  public Optional<ItemMeta> get(ItemId id) {
    return spool.get(id).map(SpoolItemStore::meta);
  }

  @Override
  public List<ItemMeta> list() {
    List<ItemMeta> out = new ArrayList<>();
    for (OutboundItem i : spool.list()) {
      out.add(meta(i));
    }
    return out;
  }

  @Override
  public InputStream open(ItemId id) throws IOException {
    return spool.openMessage(id);
  }

  @Override
  public void delete(ItemId id) throws IOException {
    spool.delete(id);
  }

  @Override
  public int expireDamaged(Instant cutoff) throws IOException {
    return spool.expireQuarantine(cutoff);
  }

  @Override
  public CopySink beginCopy(ItemMeta meta) throws IOException {
    IncomingCopy copy = spool.beginCopy(item(meta));
    return new CopySink() {
      @Override
      public long received() {
        return copy.received();
      }

      @Override
      public void append(long offset, byte[] chunk) throws IOException {
        copy.append(offset, chunk);
      }

      @Override
      public ItemMeta complete() throws IOException {
        return meta(copy.complete());
      }
    };
  }
}
