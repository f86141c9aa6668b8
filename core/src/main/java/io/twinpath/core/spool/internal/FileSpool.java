package io.twinpath.core.spool.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.IncomingCopy;
import io.twinpath.core.spool.ItemState;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolFullException;
import io.twinpath.core.spool.SpoolOptions;
import io.twinpath.core.spool.SpoolProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The file implementation of {@link Spool}; see its comment for the layout. */
public final class FileSpool implements Spool {
  private static final Logger LOG = LoggerFactory.getLogger(FileSpool.class);

  static final String META = "meta.json";
  static final String MESSAGE = "message.eml";
  static final String STATE = "state.json";
  private static final String DELETING = ".deleting";

  private final Path dir;
  private final Path items;
  private final Path incoming;
  private final Path tmp;
  private final Path quarantine;
  private final SpoolOptions options;
  private final Durable durable;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final TreeMap<ItemId, OutboundItem> queued = new TreeMap<>();
  private final TreeMap<ItemId, FileIncomingCopy> copies = new TreeMap<>();
  private final Quarantine damaged;
  private final AtomicLong used = new AtomicLong();
  private long tmpCounter;
  private boolean closed;

  private FileSpool(Path dir, SpoolOptions options, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.items = dir.resolve("items");
    this.incoming = dir.resolve("incoming");
    this.tmp = dir.resolve("tmp");
    this.quarantine = dir.resolve("quarantine");
    this.damaged = new Quarantine(quarantine, options.clock(), options.quarantineKeep());
    this.options = options;
    this.durable = new Durable(options.fsync());
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  public static FileSpool open(Path dir, SpoolOptions options) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    Path abs = dir.toAbsolutePath();
    Files.createDirectories(abs);
    FileChannel ch =
        FileChannel.open(abs.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      ch.close();
      throw new IOException("spool " + abs + " is already open in this process", e);
    }
    if (lock == null) {
      ch.close();
      throw new IOException("spool " + abs + " is in use by another process (its .lock is held)");
    }
    FileSpool s = new FileSpool(abs, options, ch, lock);
    try {
      s.load();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  // ---- opening -------------------------------------------------------------------------------

  private void load() throws IOException {
    for (Path d : List.of(items, incoming, tmp, quarantine)) {
      Files.createDirectories(d);
    }
    for (Path p : SpoolEntries.list(tmp)) {
      String name = p.getFileName().toString();
      if (name.endsWith(DELETING)) {
        Durable.deleteTree(p); // an item being deleted: finish the deletion
      } else {
        // never acknowledged, so its sender still holds it and will submit it again (or has)
        Durable.deleteTree(p);
        LOG.info(
            "spool {}: removed tmp/{}, a write cut short by a restart (never acknowledged)",
            dir,
            name);
      }
    }
    for (Path p : SpoolEntries.list(items)) {
      loadItem(p);
    }
    for (Path p : SpoolEntries.list(incoming)) {
      loadCopy(p);
    }
    durable.forceDir(tmp);
    durable.forceDir(items);
    durable.forceDir(incoming);
    durable.forceDir(quarantine);
    if (!damaged.problems().isEmpty()) {
      for (SpoolProblem pr : damaged.problems()) {
        LOG.warn("spool {}: quarantined {}", dir, pr);
      }
    }
  }

  private void loadItem(Path p) throws IOException {
    String name = "items/" + p.getFileName();
    String bad = null;
    OutboundItem item = null;
    try {
      item = SpoolEntries.read(p);
      long onDisk = Files.size(p.resolve(MESSAGE));
      if (onDisk != item.size()) {
        bad = MESSAGE + " has " + onDisk + " bytes but the item has " + item.size();
      }
    } catch (SpoolEntries.EntryException e) {
      bad = e.getMessage();
    }
    if (bad != null || item == null) {
      damaged.move(
          p, name, bad == null ? "unreadable" : bad, item == null ? null : item.expiresAt());
      return;
    }
    Files.deleteIfExists(p.resolve(STATE + ".tmp"));
    damaged.checkState(p, name);
    queued.put(item.id(), item);
    used.addAndGet(item.size());
  }

  private void loadCopy(Path p) throws IOException {
    String name = "incoming/" + p.getFileName();
    String bad = null;
    OutboundItem item = null;
    long have = 0;
    try {
      item = SpoolEntries.read(p);
      have = Files.size(p.resolve(MESSAGE));
      if (have > item.size()) {
        bad = MESSAGE + " has " + have + " bytes, more than the item's " + item.size();
      }
    } catch (SpoolEntries.EntryException e) {
      bad = e.getMessage();
    }
    if (bad != null || item == null) {
      damaged.move(
          p, name, bad == null ? "unreadable" : bad, item == null ? null : item.expiresAt());
      return;
    }
    if (queued.containsKey(item.id())) {
      Durable.deleteTree(p); // the copy already completed before the restart
      return;
    }
    Files.deleteIfExists(p.resolve(STATE + ".tmp"));
    damaged.checkState(p, name);
    copies.put(item.id(), new FileIncomingCopy(this, item, p, have));
    used.addAndGet(item.size());
  }

  // ---- queued items --------------------------------------------------------------------------

  @Override
  public OutboundItem enqueue(
      Envelope envelope, InputStream preparedMessage, Instant expiresAt, DeviceId origin)
      throws IOException {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(preparedMessage, "preparedMessage");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(origin, "origin");
    ItemId id = ItemId.generate(options.clock());
    Instant createdAt = id.createdAt();
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException(
          "expiry " + expiresAt + " is not after now (" + createdAt + "); give a later expiry");
    }
    Path work = newTmp(id.toString());
    MessageWriter writer = new MessageWriter(this, "item " + id);
    try {
      Files.createDirectory(work);
      MessageWriter.Written message = writer.write(preparedMessage, work.resolve(MESSAGE), durable);
      OutboundItem item =
          OutboundItem.of(
              id,
              envelope,
              createdAt,
              expiresAt,
              message.size(),
              message.sha256(),
              message.messageId(),
              origin);
      durable.writeNew(work.resolve(META), item.toJson().getBytes(StandardCharsets.UTF_8));
      durable.forceDir(work);
      synchronized (this) {
        checkOpen();
        Durable.move(work, items.resolve(id.toString()), false);
        durable.forceDir(items);
        durable.forceDir(tmp);
        queued.put(id, item);
      }
      return item;
    } catch (IOException | RuntimeException e) {
      used.addAndGet(-writer.reserved());
      try {
        Durable.deleteTree(work);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof IOException && isDiskFull((IOException) e)) {
        throw new SpoolFullException(
            "the disk holding spool " + dir + " is full; the message was not queued", e);
      }
      throw e;
    }
  }

  static boolean isDiskFull(IOException e) {
    String m = e.getMessage();
    return m != null && m.toLowerCase(Locale.ROOT).contains("no space left");
  }

  /** Counts {@code n} more bytes against the budget, or refuses them. */
  void reserve(long n, String what) throws SpoolFullException {
    long after = used.addAndGet(n);
    if (after > options.maxBytes()) {
      used.addAndGet(-n);
      throw new SpoolFullException(
          "spool "
              + dir
              + " is full: "
              + what
              + " does not fit its budget of "
              + options.maxBytes()
              + " bytes ("
              + (after - n)
              + " in use); it was not stored");
    }
  }

  void release(long n) {
    used.addAndGet(-n);
  }

  private synchronized Path newTmp(String base) {
    return tmp.resolve(base + "." + (++tmpCounter) + "." + ProcessHandle.current().pid());
  }

  @Override
  public InputStream openMessage(ItemId id) throws IOException {
    OutboundItem item;
    Path file;
    boolean complete;
    synchronized (this) {
      checkOpen();
      item = queued.get(id);
      complete = item != null;
      if (item != null) {
        file = items.resolve(id.toString()).resolve(MESSAGE);
      } else if (copies.containsKey(id)) {
        item = copies.get(id).item();
        file = incoming.resolve(id.toString()).resolve(MESSAGE);
      } else {
        throw new NoSuchFileException("spool " + dir + " has no item " + id);
      }
    }
    InputStream in = Files.newInputStream(file);
    return complete
        ? new VerifyingInputStream(in, "message of item " + id, item.size(), item.sha256())
        : in;
  }

  @Override
  public synchronized List<OutboundItem> list() {
    return List.copyOf(queued.values());
  }

  @Override
  public synchronized Optional<OutboundItem> get(ItemId id) {
    return Optional.ofNullable(queued.get(id));
  }

  @Override
  public synchronized void delete(ItemId id) throws IOException {
    checkOpen();
    OutboundItem item = queued.remove(id);
    if (item != null) {
      removeDir(items, id);
      used.addAndGet(-item.size());
    }
    FileIncomingCopy copy = copies.remove(id);
    if (copy != null) {
      copy.discard();
      removeDir(incoming, id);
      used.addAndGet(-copy.item().size());
    }
  }

  /** Renames the entry into tmp/ (one atomic step), then removes its files. */
  private void removeDir(Path parent, ItemId id) throws IOException {
    Path entry = parent.resolve(id.toString());
    if (!Files.exists(entry)) {
      return;
    }
    Path gone = tmp.resolve(id + "." + (++tmpCounter) + DELETING);
    Durable.move(entry, gone, false);
    durable.forceDir(parent);
    Durable.deleteTree(gone);
    durable.forceDir(tmp);
  }

  @Override
  public synchronized void saveState(ItemId id, ItemState state) throws IOException {
    checkOpen();
    Objects.requireNonNull(state, "state");
    Path entry = entryOf(id);
    if (entry == null) {
      throw new NoSuchFileException("spool " + dir + " has no item " + id + " to save state for");
    }
    durable.replace(entry.resolve(STATE), state.json().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public synchronized Optional<ItemState> state(ItemId id) throws IOException {
    checkOpen();
    Path entry = entryOf(id);
    if (entry == null) {
      return Optional.empty();
    }
    Path f = entry.resolve(STATE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return Optional.of(ItemState.ofJson(Files.readString(f, StandardCharsets.UTF_8)));
  }

  private @Nullable Path entryOf(ItemId id) {
    if (queued.containsKey(id)) {
      return items.resolve(id.toString());
    }
    if (copies.containsKey(id)) {
      return incoming.resolve(id.toString());
    }
    return null;
  }

  // ---- incoming copies -----------------------------------------------------------------------

  @Override
  public synchronized IncomingCopy beginCopy(OutboundItem item) throws IOException {
    checkOpen();
    Objects.requireNonNull(item, "item");
    OutboundItem have = queued.get(item.id());
    if (have != null) {
      if (!have.equals(item)) {
        throw new IOException(
            "item " + item.id() + " is already queued here with a different description");
      }
      return new DoneCopy(have);
    }
    FileIncomingCopy existing = copies.get(item.id());
    if (existing != null) {
      if (!existing.item().equals(item)) {
        throw new IOException(
            "an unfinished copy of item "
                + item.id()
                + " with a different description exists; delete it first");
      }
      return existing;
    }
    reserve(item.size(), "a copy of item " + item.id());
    Path work = newTmp(item.id().toString());
    try {
      Files.createDirectory(work);
      durable.writeNew(work.resolve(META), item.toJson().getBytes(StandardCharsets.UTF_8));
      durable.writeNew(work.resolve(MESSAGE), new byte[0]);
      durable.forceDir(work);
      Path target = incoming.resolve(item.id().toString());
      Durable.move(work, target, false);
      durable.forceDir(incoming);
      durable.forceDir(tmp);
      FileIncomingCopy copy = new FileIncomingCopy(this, item, target, 0);
      copies.put(item.id(), copy);
      return copy;
    } catch (IOException | RuntimeException e) {
      used.addAndGet(-item.size());
      try {
        Durable.deleteTree(work);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof IOException && isDiskFull((IOException) e)) {
        throw new SpoolFullException(
            "the disk holding spool " + dir + " is full; the copy was not started", e);
      }
      throw e;
    }
  }

  /** Moves a verified copy into items/; called by the copy with its own lock held. */
  synchronized OutboundItem promote(FileIncomingCopy copy, Path entry) throws IOException {
    checkOpen();
    OutboundItem item = copy.item();
    if (copies.get(item.id()) != copy) {
      throw new IOException("the copy of item " + item.id() + " was deleted");
    }
    Durable.move(entry, items.resolve(item.id().toString()), false);
    durable.forceDir(incoming);
    durable.forceDir(items);
    copies.remove(item.id());
    queued.put(item.id(), item);
    return item;
  }

  Durable durable() {
    return durable;
  }

  @Override
  public synchronized List<IncomingCopy> incomingCopies() {
    return List.copyOf(copies.values());
  }

  @Override
  public synchronized List<SpoolProblem> problems() {
    return List.copyOf(damaged.problems());
  }

  @Override
  public synchronized int expireQuarantine(Instant cutoff) throws IOException {
    checkOpen();
    int removed = damaged.expire(cutoff);
    if (removed > 0) {
      durable.forceDir(quarantine);
    }
    return removed;
  }

  @Override
  public long usedBytes() {
    return used.get();
  }

  @Override
  public long maxBytes() {
    return options.maxBytes();
  }

  @Override
  public Path directory() {
    return dir;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("spool " + dir + " is closed");
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    for (FileIncomingCopy c : copies.values()) {
      c.discard();
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      lockChannel.close();
    }
  }

  @Override
  public String toString() {
    return "spool " + dir;
  }
}
