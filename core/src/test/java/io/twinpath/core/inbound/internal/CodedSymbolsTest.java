package io.twinpath.core.inbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CodedSymbolsTest {
  private final SipHash hash = new SipHash(7, 8);

  @Test
  void incrementalUpdatesEqualASymbolPrefixBuiltFromScratch() {
    Random rnd = new Random(1);
    LongSet ids = new LongSet();
    CodedSymbols live = new CodedSymbols(64);
    long[] added = new long[3_000];
    for (int i = 0; i < added.length; i++) {
      added[i] = rnd.nextLong();
      ids.add(added[i]);
      live.apply(added[i], hash.hash(added[i]), 1);
    }
    for (int i = 0; i < added.length; i += 3) {
      ids.remove(added[i]);
      live.apply(added[i], hash.hash(added[i]), -1);
    }
    live.grow(512, ids, hash);

    CodedSymbols fresh = new CodedSymbols(1);
    fresh.grow(512, ids, hash);
    // grow() computes only the new symbols 1..511 of the fresh prefix; compare those
    for (int k = 1; k < 512; k++) {
      assertThat(live.sum(k)).isEqualTo(fresh.sum(k));
      assertThat(live.checksum(k)).isEqualTo(fresh.checksum(k));
      assertThat(live.count(k)).isEqualTo(fresh.count(k));
    }
    assertThat(live.count(0)).isEqualTo(ids.size());
  }

  @Test
  void anUpdateTouchesAboutTwoLnOfThePrefixSymbols() {
    Random rnd = new Random(2);
    CodedSymbols cs = new CodedSymbols(4096);
    long touched = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      long id = rnd.nextLong();
      touched += cs.apply(id, hash.hash(id), 1);
    }
    double mean = touched / (double) n;
    // 1 + sum over i = 1..4095 of 2/(i+2) ≈ 15.1
    assertThat(mean).isBetween(14.0, 16.5);
  }
}
