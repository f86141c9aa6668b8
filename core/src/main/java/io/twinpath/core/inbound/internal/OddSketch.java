package io.twinpath.core.inbound.internal;

/**
 * Odd sketches (parity bit arrays) that estimate the size of the difference of two sets before any
 * coded symbol is sent.
 *
 * <p>Each item flips one bit chosen by its hash, so the XOR of two sets' sketches is the sketch of
 * their symmetric difference: with {@code z} ones among {@code m} bits, the difference holds about
 * {@code −(m/2)·ln(1 − 2z/m)} items. The sketch has {@link #LEVELS} levels of {@link #LEVEL_BITS}
 * bits; level {@code ℓ} holds one item in {@code 8^ℓ}, so a level with few enough ones exists for
 * differences up to several hundred thousand. Level 0 folded to {@link #SMALL_BITS} bits (bit
 * {@code b} goes to {@code b mod 256}) is the small sketch sent with the opening digest.
 */
public final class OddSketch {
  public static final int LEVELS = 4;
  public static final int LEVEL_BITS = 2048;
  public static final int SMALL_BITS = 256;
  public static final int WORDS = LEVELS * LEVEL_BITS / 64;
  public static final int SMALL_WORDS = SMALL_BITS / 64;

  /** A level is read only while at most this share of its bits is set. */
  private static final double USABLE = 0.4;

  private static final double USABLE_SMALL = 0.35;

  private final long[] bits = new long[WORDS];

  /** Flips the bits of one item with digest hash {@code h2} (adding and removing are the same). */
  public void toggle(long h2) {
    int bit = (int) (h2 >>> 53); // 11 bits: 0..2047
    bits[bit >>> 6] ^= 1L << bit;
    long sample = h2 & 0x1ffL; // 9 low bits decide the levels
    for (int level = 1; level < LEVELS; level++) {
      if ((sample & ((1L << (3 * level)) - 1)) != 0) {
        break;
      }
      int b = (int) ((h2 >>> (42 - 11 * (level - 1))) & (LEVEL_BITS - 1));
      bits[level * (LEVEL_BITS / 64) + (b >>> 6)] ^= 1L << b;
    }
  }

  /** A copy of all levels. */
  public long[] full() {
    return bits.clone();
  }

  /** Level 0 folded to 256 bits. */
  public long[] small() {
    return fold(bits);
  }

  static long[] fold(long[] full) {
    long[] out = new long[SMALL_WORDS];
    for (int w = 0; w < LEVEL_BITS / 64; w++) {
      out[w % SMALL_WORDS] ^= full[w];
    }
    return out;
  }

  /** The estimate from one level's difference: {@code z} ones among {@code m} bits. */
  static double estimate(int z, int m) {
    return -(m / 2.0) * Math.log(1.0 - 2.0 * z / m);
  }

  /**
   * Estimates the difference size from two small (256-bit) sketches.
   *
   * @return the estimate, or −1 when the sketch is too full to tell (more than about 150 items)
   */
  public static double estimateSmall(long[] a, long[] b) {
    int z = 0;
    for (int w = 0; w < SMALL_WORDS; w++) {
      z += Long.bitCount(a[w] ^ b[w]);
    }
    if (z > USABLE_SMALL * SMALL_BITS) {
      return -1;
    }
    return estimate(z, SMALL_BITS);
  }

  /** Estimates the difference size from two full sketches, from the finest usable level. */
  public static double estimateFull(long[] a, long[] b) {
    int perLevel = LEVEL_BITS / 64;
    for (int level = 0; level < LEVELS; level++) {
      int z = 0;
      for (int w = level * perLevel; w < (level + 1) * perLevel; w++) {
        z += Long.bitCount(a[w] ^ b[w]);
      }
      if (z <= USABLE * LEVEL_BITS) {
        return estimate(z, LEVEL_BITS) * Math.pow(8, level);
      }
    }
    return estimate((int) (USABLE * LEVEL_BITS), LEVEL_BITS) * Math.pow(8, LEVELS - 1);
  }
}
