package io.twinpath.core.inbound.internal;

/**
 * The indices of the coded symbols one item is mapped to, in increasing order.
 *
 * <p>The rateless IBLT maps an item to coded symbol {@code i} with probability {@code ρ(i) = 1 / (1
 * + i/2) = 2 / (i + 2)}: every item is in symbol 0, about two thirds are in symbol 1, and the
 * density falls off so that a prefix of about 1.35·d symbols decodes a difference of d items.
 * Instead of flipping a coin per index, the generator jumps straight to the next index: given the
 * current index {@code i}, the chance that none of {@code i+1 … j} is chosen telescopes to
 *
 * <pre>  P(next &gt; j) = ∏ k/(k+2) for k = i+1…j = (i+1)(i+2) / ((j+1)(j+2))</pre>
 *
 * so with {@code r} uniform in (0, 1] the next index is the smallest {@code j > i} with {@code
 * (j+1)(j+2) ≥ (i+1)(i+2)/r}, that is {@code j = ⌈√((i+1)(i+2)/r + 1/4) − 3/2⌉}. The random numbers
 * come from a SplitMix64 sequence seeded with the item's keyed hash, so both devices compute the
 * same indices. Java's {@code Math.sqrt} is correctly rounded, which keeps the sequence identical
 * on every JVM. About {@code 2·ln(L/2)} indices fall below {@code L}.
 */
public final class IndexGenerator {
  /** Indices at or beyond this are never produced (the sequence ends). */
  public static final long END = Long.MAX_VALUE;

  private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

  private long index;
  private long state;

  /** A generator positioned at index 0 for an item whose keyed hash is {@code seed}. */
  public IndexGenerator(long seed) {
    reset(seed);
  }

  /** Restarts at index 0 for another item; lets hot loops reuse one instance. */
  public void reset(long seed) {
    this.index = 0;
    this.state = seed;
  }

  /** Restores a saved position (see {@link #index()} and {@link #state()}). */
  public void restore(long index, long state) {
    this.index = index;
    this.state = state;
  }

  /** The current index. */
  public long index() {
    return index;
  }

  /** The random state, to save a position together with {@link #index()}. */
  public long state() {
    return state;
  }

  /** Moves to the next index and returns it ({@link #END} when the sequence runs out). */
  public long next() {
    long i = index;
    if (i == END) {
      return END;
    }
    state += 0x9e3779b97f4a7c15L;
    long z = state;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    z = z ^ (z >>> 31);
    double r = ((z >>> 11) + 1) * TWO_POW_MINUS_53; // (0, 1]
    double x = (i + 1.0) * (i + 2.0) / r;
    double j = Math.ceil(Math.sqrt(x + 0.25) - 1.5);
    long next;
    if (!(j < 0x1.0p62)) {
      next = END;
    } else {
      next = Math.max(i + 1, (long) j);
    }
    index = next;
    return next;
  }

  /** The mapping probability of index {@code i}: {@code 2 / (i + 2)}. */
  public static double density(long i) {
    return 2.0 / (i + 2.0);
  }
}
