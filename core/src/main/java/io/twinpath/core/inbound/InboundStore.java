package io.twinpath.core.inbound;

import io.twinpath.core.inbound.internal.KnownIdsFile;
import io.twinpath.core.inbound.internal.PartialMessages;
import io.twinpath.core.inbound.internal.StoreFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one device knows and holds of inbound mail, on disk:
 *
 * <pre>
 * &lt;dir&gt;/known.ids          every inbound id this device knows, with when it became known (see below)
 * &lt;dir&gt;/held/&lt;id&gt;.eml       messages kept for a peer (the secondary keeps them until the host confirms)
 * &lt;dir&gt;/partial/&lt;id&gt;.part   a message being received from a peer; its length is the resume offset
 * &lt;dir&gt;/delivering/&lt;id&gt;     a delivery into the Maildir in progress (checked after a crash)
 * &lt;dir&gt;/cursors/&lt;key&gt;      where a fetcher stopped in one mailbox (IMAP: UIDVALIDITY and UID)
 * &lt;dir&gt;/tmp/                work in progress
 * </pre>
 *
 * <p>{@code known.ids} starts with the 8 bytes {@code TPKNOWN2}, then one 16-byte record per id:
 * the id and the time it became known here (milliseconds since the epoch), both big-endian; records
 * are appended and forced to disk. A file from before (8-byte ids, no header) is converted when the
 * store opens, its ids dated then. {@link #forget} drops ids by writing the file anew.
 *
 * <p>The known ids are the set that is reconciled ({@link #ids()}): an id stays known after its
 * bytes are freed, so a message is never fetched, offered or delivered twice. Held and partial
 * bytes together stay within a budget. Every write is crash-safe: bytes go to {@code tmp/}, are
 * forced to disk and renamed into place, and the directory is forced. Thread-safe.
 */
public final class InboundStore {
  private static final Logger LOG = LoggerFactory.getLogger(InboundStore.class);

  /** What {@link #keep} did with a message. */
  public enum Kept {
    /** Stored durably. */
    STORED,
    /** Already known here: nothing stored (a duplicate). */
    ALREADY_KNOWN,
    /** Storing it would pass the budget: nothing stored, the message must stay on the server. */
    OVER_BUDGET
  }

  private final Path dir;
  private final Path held;
  private final Path partial;
  private final PartialMessages partials;
  private final Path delivering;
  private final Path tmp;
  private final long budget;
  private final InboundIdSet ids;
  private final java.time.Clock clock;
  private final Path cursors;
  private final KnownIdsFile known;
  private final Map<InboundId, Long> heldSizes = new ConcurrentHashMap<>();
  private final Map<InboundId, String> heldHashes = new ConcurrentHashMap<>();
  private long usedBytes;
  private long tmpCounter;

  private InboundStore(Path dir, long budget, InboundIdSet ids, java.time.Clock clock)
      throws IOException {
    this.clock = clock;
    this.cursors = dir.resolve("cursors");
    this.dir = dir;
    this.held = dir.resolve("held");
    this.partial = dir.resolve("partial");
    this.partials = new PartialMessages(partial, new PartialBudget());
    this.delivering = dir.resolve("delivering");
    this.tmp = dir.resolve("tmp");
    this.budget = budget;
    this.ids = ids;
    for (Path p : List.of(held, partial, delivering, tmp, cursors)) {
      Files.createDirectories(p);
    }
    this.known = new KnownIdsFile(dir, tmp, clock);
  }

  /**
   * Opens (creating when needed) the store in {@code dir} with a budget of {@code budgetBytes} for
   * held and partial messages, and loads the known ids into {@code ids} (normally a fresh {@link
   * InboundIdSet}).
   */
  public static InboundStore open(Path dir, long budgetBytes, InboundIdSet ids) throws IOException {
    return open(dir, budgetBytes, ids, java.time.Clock.systemUTC());
  }

  /** As {@link #open(Path, long, InboundIdSet)}, dating newly known ids by {@code clock}. */
  public static InboundStore open(
      Path dir, long budgetBytes, InboundIdSet ids, java.time.Clock clock) throws IOException {
    if (budgetBytes < 1) {
      throw new IllegalArgumentException(
          "the inbound storage budget " + budgetBytes + " is not accepted; give at least 1 byte");
    }
    InboundStore s = new InboundStore(dir.toAbsolutePath(), budgetBytes, ids, clock);
    s.load();
    return s;
  }

  /** Opens with a fresh id set using the default key. */
  public static InboundStore open(Path dir, long budgetBytes) throws IOException {
    return open(dir, budgetBytes, InboundIdSet.create());
  }

  private synchronized void load() throws IOException {
    known.load(ids::addRaw);
    try (DirectoryStream<Path> s = Files.newDirectoryStream(held, "*.eml")) {
      for (Path p : s) {
        Optional<InboundId> id = idOf(p, ".eml");
        if (id.isPresent()) {
          long len = Files.size(p);
          heldSizes.put(id.get(), len);
          usedBytes += len;
        }
      }
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(partial, "*.part")) {
      for (Path p : s) {
        usedBytes += Files.size(p);
      }
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp)) {
      for (Path p : s) {
        Files.deleteIfExists(p); // never acknowledged to anyone
      }
    }
  }

  /**
   * Known ids that became known here before {@code cutoff}, whose bytes are not held or being
   * received here: the candidates for {@link #forget}.
   */
  public synchronized List<InboundId> knownBefore(java.time.Instant cutoff) throws IOException {
    long limit = cutoff.toEpochMilli();
    List<InboundId> out = new ArrayList<>();
    known.forEachRecord(
        (id, since) -> {
          InboundId i = InboundId.of(id);
          if (since < limit && ids.contains(i) && !heldSizes.containsKey(i)) {
            out.add(i);
          }
        });
    out.removeIf(i -> Files.exists(partial.resolve(i + ".part")));
    return out;
  }

  /**
   * Forgets known ids (never one whose bytes are held here): they leave the reconciled set and
   * {@code known.ids}, which is written anew without them. Returns how many were forgotten.
   */
  public synchronized int forget(java.util.Collection<InboundId> gone) throws IOException {
    String refusal = forgetRefused;
    if (refusal != null) {
      LOG.warn("Inbound store {}: not forgetting {} old ids: {}", dir, gone.size(), refusal);
      return 0;
    }
    Set<Long> drop = new java.util.HashSet<>();
    for (InboundId id : gone) {
      if (ids.contains(id) && !heldSizes.containsKey(id)) {
        drop.add(id.value());
      }
    }
    if (drop.isEmpty()) {
      return 0;
    }
    List<long[]> keep = new ArrayList<>();
    long[] newest = {forgottenBefore().map(java.time.Instant::toEpochMilli).orElse(0L)};
    known.forEachRecord(
        (id, since) -> {
          if (!drop.contains(id)) {
            keep.add(new long[] {id, since});
          } else {
            newest[0] = Math.max(newest[0], since + 1);
          }
        });
    // first the horizon, so that a crash in between can only make a full rescan more careful
    saveCursor(FORGOTTEN, Long.toString(newest[0]));
    known.rewriteKnown(keep.iterator());
    for (long id : drop) {
      ids.remove(InboundId.of(id));
    }
    return drop.size();
  }

  private static final String FORGOTTEN = "forgotten-before";

  /**
   * Every id this store forgot had become known before this instant (empty when it never forgot
   * any). A fetcher that looks at a whole mailbox again (a new UIDVALIDITY) treats messages that
   * reached the server before it as already handled, since their ids may have been forgotten.
   */
  public Optional<java.time.Instant> forgottenBefore() throws IOException {
    Optional<String> c = cursor(FORGOTTEN);
    if (c.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.Instant.ofEpochMilli(Long.parseLong(c.get().trim())));
    } catch (NumberFormatException e) {
      throw new IOException("the file for " + FORGOTTEN + " in " + cursors + " is damaged", e);
    }
  }

  private volatile @org.jspecify.annotations.Nullable String forgetRefused;

  /**
   * From now on {@link #forget} forgets nothing, for {@code reason} (a fetcher that would take the
   * forgotten mail again: a POP3 mailbox that keeps its mail).
   */
  public void refuseForgetting(String reason) {
    this.forgetRefused = reason;
  }

  /** The clock that dates newly known ids. */
  public java.time.Clock clock() {
    return clock;
  }

  /** What a fetcher saved under {@code key} ({@link #saveCursor}), if anything. */
  public Optional<String> cursor(String key) throws IOException {
    Path p = cursors.resolve(cursorName(key));
    try {
      return Optional.of(Files.readString(p, java.nio.charset.StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Saves a fetcher's position in a mailbox (crash-safe: tmp, force, rename). */
  public void saveCursor(String key, String value) throws IOException {
    Path t = writeTmp(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.move(
        t,
        cursors.resolve(cursorName(key)),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    StoreFiles.forceDir(cursors);
  }

  private static String cursorName(String key) {
    return sha256(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 32);
  }

  private static Optional<InboundId> idOf(Path p, String suffix) {
    String name = p.getFileName().toString();
    if (!name.endsWith(suffix)) {
      return Optional.empty();
    }
    try {
      return Optional.of(InboundId.parse(name.substring(0, name.length() - suffix.length())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The known ids: the set this device reconciles. */
  public InboundIdSet ids() {
    return ids;
  }

  public boolean knows(InboundId id) {
    return ids.contains(id);
  }

  /** Records ids as known (durably) without holding their bytes. */
  public synchronized void markKnown(List<InboundId> more) throws IOException {
    List<InboundId> fresh = new ArrayList<>();
    for (InboundId id : more) {
      if (!ids.contains(id)) {
        fresh.add(id);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    known.append(fresh);
    for (InboundId id : fresh) {
      ids.add(id);
    }
  }

  /**
   * Keeps a message's bytes until {@link #release} (and records its id as known), within the
   * budget.
   */
  public Kept keep(InboundId id, byte[] raw) throws IOException {
    synchronized (this) {
      if (ids.contains(id)) {
        return Kept.ALREADY_KNOWN;
      }
      if (usedBytes + raw.length > budget) {
        LOG.warn(
            "Inbound store {}: keeping message {} ({} bytes) would pass the budget of {} bytes"
                + " ({} used); it stays on the server",
            dir,
            id,
            raw.length,
            budget,
            usedBytes);
        return Kept.OVER_BUDGET;
      }
      usedBytes += raw.length;
    }
    try {
      Path t = writeTmp(raw);
      Path target = held.resolve(id + ".eml");
      Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      StoreFiles.forceDir(held);
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        usedBytes -= raw.length;
      }
      throw e;
    }
    heldSizes.put(id, (long) raw.length);
    heldHashes.put(id, sha256(raw));
    markKnown(List.of(id));
    return Kept.STORED;
  }

  /** Ids whose bytes are held here, waiting for a peer's confirmation. */
  public List<InboundId> held() {
    return new ArrayList<>(heldSizes.keySet());
  }

  public Optional<Long> heldSize(InboundId id) {
    return Optional.ofNullable(heldSizes.get(id));
  }

  /** Reads up to {@code max} bytes of a held message from {@code offset}. */
  public byte[] readHeld(InboundId id, long offset, int max) throws IOException {
    try (FileChannel ch = FileChannel.open(held.resolve(id + ".eml"), StandardOpenOption.READ)) {
      long size = ch.size();
      int n = (int) Math.max(0, Math.min(max, size - offset));
      ByteBuffer buf = ByteBuffer.allocate(n);
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) {
          break;
        }
      }
      return buf.array();
    }
  }

  /** SHA-256 (lower-case hex) of a held message. */
  public String heldSha256(InboundId id) throws IOException {
    String cached = heldHashes.get(id);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = Files.newInputStream(held.resolve(id + ".eml"))) {
      String h = sha256(in);
      heldHashes.put(id, h);
      return h;
    }
  }

  /** Frees a held message (its id stays known). */
  public void release(InboundId id) throws IOException {
    Long size = heldSizes.remove(id);
    heldHashes.remove(id);
    if (size == null) {
      return;
    }
    Files.deleteIfExists(held.resolve(id + ".eml"));
    synchronized (this) {
      usedBytes -= size;
    }
  }

  /** Bytes held and partially received, counted against the budget. */
  public synchronized long usedBytes() {
    return usedBytes;
  }

  public long budget() {
    return budget;
  }

  // ---- messages received from a peer in chunks ----

  /** How many bytes of {@code id} have been received so far (the resume offset). */
  public long partialLength(InboundId id) throws IOException {
    return partials.length(id);
  }

  /**
   * Appends a chunk at {@code offset}, which must be the current length (a chunk wholly before it
   * is a repeat and is ignored).
   *
   * @return the new length
   * @throws IOException when the chunk leaves a gap or would pass the budget
   */
  public long appendPartial(InboundId id, long offset, byte[] chunk) throws IOException {
    return partials.append(id, offset, chunk);
  }

  /**
   * Checks a fully received message against its size and SHA-256 and returns its bytes; on a
   * mismatch the partial file is removed so the transfer starts again.
   *
   * @throws IOException naming the mismatch
   */
  public byte[] completePartial(InboundId id, long size, String sha256) throws IOException {
    return partials.complete(id, size, sha256);
  }

  /** Removes a partial transfer (after it was completed and stored elsewhere, or was bad). */
  public void dropPartial(InboundId id) throws IOException {
    partials.drop(id);
  }

  /** The budget as the partial messages use it, guarded by this store's lock. */
  private final class PartialBudget implements PartialMessages.Budget {
    @Override
    public void reserve(InboundId id, int add) throws IOException {
      synchronized (InboundStore.this) {
        if (usedBytes + add > budget) {
          throw new IOException(
              "receiving message " + id + " would pass the inbound budget of " + budget + " bytes");
        }
        usedBytes += add;
      }
    }

    @Override
    public void release(long n) {
      synchronized (InboundStore.this) {
        usedBytes -= n;
      }
    }
  }

  // ---- delivery markers (the host's Maildir) ----

  /** Marks a delivery of {@code id} as started (forced to disk). */
  public void beginDelivery(InboundId id) throws IOException {
    Path m = delivering.resolve(id.toString());
    if (!Files.exists(m)) {
      Files.createFile(m);
    }
    StoreFiles.forceDir(delivering);
  }

  /** Ends a delivery: the id becomes known and the marker goes. */
  public void endDelivery(InboundId id) throws IOException {
    markKnown(List.of(id));
    Files.deleteIfExists(delivering.resolve(id.toString()));
  }

  /** Deliveries that were started and not ended (a crash in between). */
  public List<InboundId> unfinishedDeliveries() throws IOException {
    List<InboundId> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(delivering)) {
      for (Path p : s) {
        try {
          out.add(InboundId.parse(p.getFileName().toString()));
        } catch (IllegalArgumentException e) {
          LOG.warn("Inbound store {}: ignoring a stray file {}", dir, p);
        }
      }
    }
    return out;
  }

  /** Forgets a delivery marker without marking the id known (the delivery is to be retried). */
  public void abandonDelivery(InboundId id) throws IOException {
    Files.deleteIfExists(delivering.resolve(id.toString()));
  }

  private Path writeTmp(byte[] raw) throws IOException {
    Path t;
    synchronized (this) {
      t = tmp.resolve("in-" + (++tmpCounter) + "-" + ProcessHandle.current().pid());
    }
    try (FileChannel ch =
        FileChannel.open(
            t,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(raw);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    return t;
  }

  static String sha256(InputStream in) throws IOException {
    return StoreFiles.sha256(in);
  }

  static String sha256(byte[] b) {
    return StoreFiles.sha256(b);
  }

  /** Closes the known-ids file. */
  public void close() throws IOException {
    known.close();
  }

  @Override
  public String toString() {
    return "InboundStore " + dir;
  }
}
