package io.twinpath.core.inbound.internal;

import java.util.Arrays;

/**
 * A prefix {@code [0, size)} of the rateless IBLT's coded symbols for one set, kept up to date as
 * items come and go. Each symbol holds the XOR of the ids mapped to it, the XOR of their keyed
 * hashes and their count.
 *
 * <p>Adding or removing an item touches only the symbols it maps to inside the prefix: about {@code
 * 2·ln(size/2)} of them (≈ 15 for 4,096 symbols), never more than {@code size}. Growing the prefix
 * walks every item once. Not thread-safe.
 */
public final class CodedSymbols {
  private long[] sum;
  private long[] chk;
  private long[] cnt;
  private int size;
  private final IndexGenerator gen = new IndexGenerator(0);

  public CodedSymbols(int size) {
    if (size < 1) {
      throw new IllegalArgumentException(
          "a coded-symbol prefix holds at least 1 symbol, not " + size);
    }
    this.size = size;
    this.sum = new long[size];
    this.chk = new long[size];
    this.cnt = new long[size];
  }

  private CodedSymbols(long[] sum, long[] chk, long[] cnt, int size) {
    this.sum = sum;
    this.chk = chk;
    this.cnt = cnt;
    this.size = size;
  }

  public int size() {
    return size;
  }

  public long sum(int i) {
    return sum[i];
  }

  public long checksum(int i) {
    return chk[i];
  }

  public long count(int i) {
    return cnt[i];
  }

  /**
   * Adds ({@code sign = 1}) or removes ({@code sign = -1}) one item with keyed hash {@code h}.
   *
   * @return how many symbols were touched
   */
  public int apply(long id, long h, int sign) {
    gen.reset(h);
    long i = 0;
    int touched = 0;
    int n = size;
    while (i < n) {
      int k = (int) i;
      sum[k] ^= id;
      chk[k] ^= h;
      cnt[k] += sign;
      touched++;
      i = gen.next();
    }
    return touched;
  }

  /**
   * Grows the prefix to {@code newSize} symbols, computing the new ones from every item of the set.
   */
  public void grow(int newSize, LongSet ids, SipHash hash) {
    if (newSize <= size) {
      return;
    }
    int from = size;
    sum = Arrays.copyOf(sum, newSize);
    chk = Arrays.copyOf(chk, newSize);
    cnt = Arrays.copyOf(cnt, newSize);
    size = newSize;
    IndexGenerator g = new IndexGenerator(0);
    ids.forEach(
        id -> {
          long h = hash.hash(id);
          g.reset(h);
          long i = 0;
          while (i < from) {
            i = g.next();
          }
          while (i < newSize) {
            int k = (int) i;
            sum[k] ^= id;
            chk[k] ^= h;
            cnt[k] += 1;
            i = g.next();
          }
        });
  }

  /** An independent copy of the first {@code n} symbols ({@code n ≤ size}). */
  public CodedSymbols copy(int n) {
    int m = Math.min(n, size);
    return new CodedSymbols(Arrays.copyOf(sum, m), Arrays.copyOf(chk, m), Arrays.copyOf(cnt, m), m);
  }
}
