package io.twinpath.core.inbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PeelingDecoderTest {
  private final SipHash hash = new SipHash(3, 4);

  private PeelingDecoder decode(long[] remoteOnly, long[] localOnly, long mask, int batch) {
    CodedSymbols diff = new CodedSymbols(4 * (remoteOnly.length + localOnly.length) + 64);
    for (long x : remoteOnly) {
      diff.apply(x, hash.hash(x), 1);
    }
    for (long x : localOnly) {
      diff.apply(x, hash.hash(x), -1);
    }
    PeelingDecoder dec = new PeelingDecoder(hash, mask);
    int k = 0;
    while (!dec.decoded()) {
      long[] s = new long[batch];
      long[] c = new long[batch];
      long[] n = new long[batch];
      for (int j = 0; j < batch; j++) {
        s[j] = diff.sum(k + j);
        c[j] = diff.checksum(k + j) & mask;
        n[j] = diff.count(k + j);
      }
      dec.add(s, c, n, batch);
      k += batch;
      assertThat(k).isLessThan(diff.size() - batch);
    }
    return dec;
  }

  @Test
  void recoversBothSidesOfTheDifference() {
    long[] remote = {1, 2, 3, 0, -7};
    long[] local = {100, 200, Long.MIN_VALUE};
    for (int batch : new int[] {1, 3, 16}) {
      PeelingDecoder dec = decode(remote, local, -1L, batch);
      assertThat(dec.remoteOnly()).containsExactlyInAnyOrder(remote);
      assertThat(dec.localOnly()).containsExactlyInAnyOrder(local);
    }
  }

  @Test
  void worksWithFortyEightBitChecksums() {
    Random rnd = new Random(4);
    long[] remote = rnd.longs(300).toArray();
    long[] local = rnd.longs(200).toArray();
    PeelingDecoder dec = decode(remote, local, ReconcileMessages.WIRE_CHECKSUM_MASK, 50);
    assertThat(dec.remoteOnly()).containsExactlyInAnyOrder(remote);
    assertThat(dec.localOnly()).containsExactlyInAnyOrder(local);
  }

  @Test
  void anEmptyDifferenceDecodesFromOneSymbol() {
    PeelingDecoder dec = new PeelingDecoder(hash);
    assertThat(dec.decoded()).isFalse();
    dec.add(new long[] {0}, new long[] {0}, new long[] {0}, 1);
    assertThat(dec.decoded()).isTrue();
    assertThat(dec.recovered()).isZero();
  }
}
