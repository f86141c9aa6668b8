package io.twinpath.core.inbound.internal;

import java.util.Arrays;

/**
 * Decodes the difference of two sets from the difference of their coded symbols (remote minus
 * local), received as a growing prefix.
 *
 * <p>A difference symbol is <em>pure</em> when its count is +1 or −1 and the keyed hash of its XOR
 * sum equals its checksum: it then holds exactly one item, present only on the remote side (+1) or
 * only here (−1). Peeling takes that item out of every received symbol it maps to, which may make
 * others pure, and so on. Items found before later symbols arrive are taken out of those symbols as
 * they come. The difference is complete when symbol 0, which every item maps to, is empty. Not
 * thread-safe.
 */
public final class PeelingDecoder {
  private final SipHash hash;
  private final long checksumMask;
  private final IndexGenerator gen = new IndexGenerator(0);

  private long[] sum = new long[64];
  private long[] chk = new long[64];
  private long[] cnt = new long[64];
  private int received;

  private long[] recId = new long[16];
  private long[] recHash = new long[16];
  private int[] recSign = new int[16];
  private long[] recNext = new long[16];
  private long[] recState = new long[16];
  private int recovered;

  private int[] stack = new int[64];
  private int stackSize;

  /** A decoder whose checksums are the full 64-bit keyed hashes. */
  public PeelingDecoder(SipHash hash) {
    this(hash, -1L);
  }

  /**
   * A decoder whose symbols carry only the bits {@code checksumMask} of each checksum (the wire
   * format sends 48 of the 64 bits). A symbol then counts as pure only if, besides the masked
   * checksum matching, the item it would yield really maps to that symbol.
   */
  public PeelingDecoder(SipHash hash, long checksumMask) {
    this.hash = hash;
    this.checksumMask = checksumMask;
  }

  /** How many difference symbols have been received. */
  public int received() {
    return received;
  }

  /** How many items have been recovered so far. */
  public int recovered() {
    return recovered;
  }

  /**
   * Appends {@code n} difference symbols (remote minus local) for indices {@code received() …
   * received() + n − 1} and peels what it can.
   */
  public void add(long[] sumDiff, long[] chkDiff, long[] cntDiff, int n) {
    int from = received;
    int to = from + n;
    ensureSymbols(to);
    System.arraycopy(sumDiff, 0, sum, from, n);
    System.arraycopy(chkDiff, 0, chk, from, n);
    System.arraycopy(cntDiff, 0, cnt, from, n);
    received = to;
    // items already recovered also sit in the new symbols: take them out
    for (int r = 0; r < recovered; r++) {
      long i = recNext[r];
      if (i >= to) {
        continue;
      }
      gen.restore(i, recState[r]);
      long x = recId[r];
      long h = recHash[r];
      int s = recSign[r];
      while (i < to) {
        int k = (int) i;
        sum[k] ^= x;
        chk[k] ^= h;
        cnt[k] -= s;
        i = gen.next();
      }
      recNext[r] = i;
      recState[r] = gen.state();
    }
    for (int k = from; k < to; k++) {
      if (isPure(k)) {
        push(k);
      }
    }
    peel();
  }

  /** True when the whole difference has been recovered. */
  public boolean decoded() {
    return received > 0 && cnt[0] == 0 && sum[0] == 0 && chk[0] == 0;
  }

  /** Items present only on the remote side (count +1). */
  public long[] remoteOnly() {
    return collect(1);
  }

  /** Items present only on this side (count −1). */
  public long[] localOnly() {
    return collect(-1);
  }

  private long[] collect(int sign) {
    long[] out = new long[recovered];
    int n = 0;
    for (int r = 0; r < recovered; r++) {
      if (recSign[r] == sign) {
        out[n++] = recId[r];
      }
    }
    return Arrays.copyOf(out, n);
  }

  private boolean isPure(int k) {
    long c = cnt[k];
    return (c == 1 || c == -1) && (hash.hash(sum[k]) & checksumMask) == chk[k];
  }

  /** True when the item with keyed hash {@code full} maps to symbol {@code k}. */
  private boolean mapsTo(long full, int k) {
    gen.reset(full);
    long i = 0;
    while (i < k) {
      i = gen.next();
    }
    return i == k;
  }

  private void peel() {
    while (stackSize > 0) {
      int k = stack[--stackSize];
      if (!isPure(k)) {
        continue;
      }
      long x = sum[k];
      int s = (int) cnt[k];
      long full = hash.hash(x);
      if (checksumMask != -1L && !mapsTo(full, k)) {
        continue; // the masked checksum matched by chance
      }
      long h = full & checksumMask;
      gen.reset(full);
      long i = 0;
      int to = received;
      while (i < to) {
        int j = (int) i;
        sum[j] ^= x;
        chk[j] ^= h;
        cnt[j] -= s;
        if (j != k && isPureQuick(j)) {
          push(j);
        }
        i = gen.next();
      }
      remember(x, h, s, i, gen.state());
    }
  }

  /** A cheap pre-check; the full check runs when the symbol is popped. */
  private boolean isPureQuick(int k) {
    long c = cnt[k];
    return c == 1 || c == -1;
  }

  private void remember(long x, long h, int s, long next, long state) {
    if (recovered == recId.length) {
      int n = recovered * 2;
      recId = Arrays.copyOf(recId, n);
      recHash = Arrays.copyOf(recHash, n);
      recSign = Arrays.copyOf(recSign, n);
      recNext = Arrays.copyOf(recNext, n);
      recState = Arrays.copyOf(recState, n);
    }
    recId[recovered] = x;
    recHash[recovered] = h;
    recSign[recovered] = s;
    recNext[recovered] = next;
    recState[recovered] = state;
    recovered++;
  }

  private void push(int k) {
    if (stackSize == stack.length) {
      stack = Arrays.copyOf(stack, stackSize * 2);
    }
    stack[stackSize++] = k;
  }

  private void ensureSymbols(int n) {
    if (n > sum.length) {
      int cap = Math.max(n, sum.length * 2);
      sum = Arrays.copyOf(sum, cap);
      chk = Arrays.copyOf(chk, cap);
      cnt = Arrays.copyOf(cnt, cap);
    }
  }
}
