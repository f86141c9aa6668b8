package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.engine.ItemStore;
import io.twinpath.core.item.ItemId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The item records of this device, in memory and in {@code <dataDir>/engine/<item>.json}. Engine
 * thread only.
 */
final class Records {
  private static final Logger LOG = LoggerFactory.getLogger(Records.class);

  private final DeviceId self;
  private final Path dir;
  private final Map<ItemId, ItemRecord> items = new HashMap<>();

  Records(DeviceId self, Path dir) {
    this.self = self;
    this.dir = dir;
  }

  @Nullable ItemRecord get(ItemId id) {
    return items.get(id);
  }

  boolean has(ItemId id) {
    return items.containsKey(id);
  }

  void put(ItemRecord r) {
    items.put(r.meta.id(), r);
  }

  /** A copy of every record (handlers may add or finish records while going through it). */
  List<ItemRecord> all() {
    return new ArrayList<>(items.values());
  }

  /** Every record, sorted by item id. */
  List<ItemRecord> sorted() {
    List<ItemRecord> sorted = all();
    sorted.sort((a, b) -> a.meta.id().compareTo(b.meta.id()));
    return sorted;
  }

  void save(ItemRecord r) {
    try {
      r.save(dir);
    } catch (IOException e) {
      LOG.error("{}: cannot save the record of {}: {}", self, r.meta.id(), e.getMessage());
    }
  }

  /** Saves, forced to disk; false (logged) when it could not be saved. */
  boolean trySave(ItemRecord r) {
    try {
      r.save(dir);
      return true;
    } catch (IOException e) {
      LOG.error("{}: cannot save the record of {}: {}", self, r.meta.id(), e.getMessage());
      return false;
    }
  }

  /** Saves without forcing to disk. */
  void saveLightly(ItemRecord r) {
    try {
      r.save(dir, false);
    } catch (IOException e) {
      LOG.error("{}: cannot save the record of {}: {}", self, r.meta.id(), e.getMessage());
    }
  }

  /**
   * Loads the records; a damaged one is set aside. Complete copies the store holds whose record is
   * missing are adopted as waiting for their origin.
   */
  void load(ItemStore store, Peers peers) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : ds) {
        try {
          ItemRecord r = ItemRecord.load(f);
          items.put(r.meta.id(), r);
        } catch (IOException e) {
          LOG.error("{}: {}; the record is set aside", self, e.getMessage());
          Files.move(f, f.resolveSibling(f.getFileName() + ".damaged"));
        }
      }
    }
    for (ItemMeta m : store.list()) {
      if (!items.containsKey(m.id())) {
        ItemRecord r = new ItemRecord(m);
        r.copyComplete = true;
        r.holder = m.origin();
        r.epoch = Math.max(0, peers.indexOf(m.origin()));
        items.put(m.id(), r);
        save(r);
      }
    }
  }

  /**
   * Forgets finished items whose record outlived {@code retention} after the later of their finish
   * and their expiry. Until then the record answers late commands with the outcome; after it, the
   * item has expired, so commands about it are refused instead of starting it again.
   *
   * @return the items forgotten
   */
  List<ItemId> prune(Instant now, Duration retention) {
    List<ItemId> gone = new ArrayList<>();
    for (ItemRecord r : items.values()) {
      if (r.phase != Phase.DONE) {
        continue;
      }
      if (r.doneAt == null) {
        r.doneAt = now; // finished before records said when: count from now
        save(r);
        continue;
      }
      Instant from = r.doneAt.isAfter(r.meta.expiresAt()) ? r.doneAt : r.meta.expiresAt();
      if (!now.isBefore(from.plus(retention))) {
        gone.add(r.meta.id());
      }
    }
    List<ItemId> forgotten = new ArrayList<>();
    for (ItemId id : gone) {
      try {
        Files.deleteIfExists(dir.resolve(id + ".json"));
      } catch (IOException e) {
        LOG.warn("{}: could not remove the record of {}: {}", self, id, e.getMessage());
        continue;
      }
      items.remove(id);
      forgotten.add(id);
    }
    if (!gone.isEmpty()) {
      LOG.info("{}: forgot {} finished item(s) past their retention", self, gone.size());
    }
    return forgotten;
  }
}
