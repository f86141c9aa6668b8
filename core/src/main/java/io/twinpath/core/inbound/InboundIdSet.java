package io.twinpath.core.inbound;

import io.twinpath.core.inbound.internal.CodedSymbols;
import io.twinpath.core.inbound.internal.LongSet;
import io.twinpath.core.inbound.internal.OddSketch;
import io.twinpath.core.inbound.internal.SipHash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The set of inbound ids one device holds, ready to be reconciled at any moment.
 *
 * <p>Besides the ids it keeps, up to date on every {@link #add} and {@link #remove}:
 *
 * <ul>
 *   <li>a prefix of the rateless IBLT's coded symbols ({@code keptSymbols} of them, 4,096 by
 *       default): an update touches only the symbols the item maps to, about {@code 2·ln(kept/2)}
 *       (≈ 15), never more than the prefix; the prefix grows when a reconciliation needs more;
 *   <li>the full-set digest: the size, the XOR of the ids' keyed hashes (coded symbol 0) and the
 *       sum modulo 2^64 of a second, independent keyed hash;
 *   <li>odd sketches that estimate the size of a difference before any symbol is sent.
 * </ul>
 *
 * <p>Both devices must use the same key. It need not be secret: it keeps checksums of one pair of
 * devices independent of any other's. Instances are thread-safe.
 */
public final class InboundIdSet {
  /** The symbols kept up to date by default. */
  public static final int DEFAULT_KEPT_SYMBOLS = 4096;

  /** The most coded symbols a prefix may grow to (about 24 MB of memory). */
  public static final int MAX_SYMBOLS = 1 << 20;

  private static final long DEFAULT_K0 = 0x7477696e70617468L; // "twinpath"
  private static final long DEFAULT_K1 = 0x696e626f756e6431L; // "inbound1"

  private final SipHash checksumHash;
  private final SipHash digestHash;
  private final LongSet ids = new LongSet();
  private final CodedSymbols prefix;
  private final OddSketch sketch = new OddSketch();
  private long digestSum;
  private long version;

  private InboundIdSet(long k0, long k1, int keptSymbols) {
    if (keptSymbols < 1 || keptSymbols > MAX_SYMBOLS) {
      throw new IllegalArgumentException(
          "keptSymbols "
              + keptSymbols
              + " is out of range; use 1 to "
              + MAX_SYMBOLS
              + " (default "
              + DEFAULT_KEPT_SYMBOLS
              + ")");
    }
    this.checksumHash = new SipHash(k0, k1);
    // an independent key for the digest sum and the sketches
    this.digestHash = new SipHash(k0 ^ 0x5bd1e9955bd1e995L, Long.rotateLeft(k1, 29) ^ 0x27d4eb2fL);
    this.prefix = new CodedSymbols(keptSymbols);
  }

  /** An empty set with the default key and prefix. */
  public static InboundIdSet create() {
    return new InboundIdSet(DEFAULT_K0, DEFAULT_K1, DEFAULT_KEPT_SYMBOLS);
  }

  /**
   * An empty set with a 128-bit key (both devices of a pair use the same) and {@code keptSymbols}
   * coded symbols kept up to date.
   */
  public static InboundIdSet create(long keyHigh, long keyLow, int keptSymbols) {
    return new InboundIdSet(keyHigh, keyLow, keptSymbols);
  }

  /** A set holding {@code initial}, with the default key and prefix. */
  public static InboundIdSet of(Collection<InboundId> initial) {
    InboundIdSet s = create();
    s.addAll(initial);
    return s;
  }

  /** Adds an id; false when it was already there. */
  public synchronized boolean add(InboundId id) {
    return addRaw(id.value()) > 0;
  }

  /** Adds many ids at once. */
  public synchronized void addAll(Collection<InboundId> more) {
    for (InboundId id : more) {
      addRaw(id.value());
    }
  }

  /** Removes an id; false when it was not there. */
  public synchronized boolean remove(InboundId id) {
    long v = id.value();
    if (!ids.remove(v)) {
      return false;
    }
    update(v, -1);
    return true;
  }

  public synchronized boolean contains(InboundId id) {
    return ids.contains(id.value());
  }

  public synchronized int size() {
    return ids.size();
  }

  /** The ids, in no particular order. */
  public synchronized List<InboundId> ids() {
    List<InboundId> out = new ArrayList<>(ids.size());
    ids.forEach(v -> out.add(InboundId.of(v)));
    return out;
  }

  /** How many coded symbols are kept up to date now. */
  public synchronized int keptSymbols() {
    return prefix.size();
  }

  /**
   * Adds a raw 64-bit id and returns how many coded symbols it touched (0 when it was already
   * there); the cost of an incremental update, for measurements.
   */
  public synchronized int addRaw(long id) {
    if (!ids.add(id)) {
      return 0;
    }
    return update(id, 1);
  }

  private int update(long id, int sign) {
    version++;
    long h2 = digestHash.hash(id);
    digestSum += sign * h2;
    sketch.toggle(h2);
    return prefix.apply(id, checksumHash.hash(id), sign);
  }

  SipHash checksumHash() {
    return checksumHash;
  }

  SipHash digestHash() {
    return digestHash;
  }

  /** A consistent view for one reconciliation; see {@link SetSnapshot}. */
  synchronized SetSnapshot snapshot() {
    return new SetSnapshot(
        this,
        version,
        ids.size(),
        digestSum,
        sketch.small(),
        sketch.full(),
        prefix.copy(prefix.size()));
  }

  /**
   * The symbols {@code [from, to)} of the live set, when it has not changed since {@code
   * expectedVersion}; grows the kept prefix as needed.
   *
   * @return null when the set changed meanwhile
   */
  synchronized @Nullable CodedSymbols symbolsIfUnchanged(long expectedVersion, int to) {
    if (version != expectedVersion) {
      return null;
    }
    if (to > prefix.size()) {
      prefix.grow(Math.min(MAX_SYMBOLS, Math.max(to, prefix.size() * 2)), ids, checksumHash);
    }
    return prefix.copy(to);
  }

  @Override
  public synchronized String toString() {
    return "InboundIdSet of " + ids.size() + " ids";
  }
}
