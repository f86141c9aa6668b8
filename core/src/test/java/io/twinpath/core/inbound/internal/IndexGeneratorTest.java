package io.twinpath.core.inbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexGeneratorTest {
  @Test
  void indicesStartAtZeroAndIncrease() {
    IndexGenerator g = new IndexGenerator(12345);
    assertThat(g.index()).isZero();
    long last = 0;
    int steps = 0;
    long i;
    // about two indices per factor e: the sequence ends (beyond 2^62) after roughly 85 steps
    while ((i = g.next()) != IndexGenerator.END) {
      assertThat(i).isGreaterThan(last);
      last = i;
      steps++;
    }
    assertThat(steps).isBetween(30, 200);
    assertThat(g.next()).isEqualTo(IndexGenerator.END);
  }

  @Test
  void eachIndexIsChosenWithTheDecreasingDensity() {
    int items = 200_000;
    int limit = 1001;
    int[] hits = new int[limit];
    SplittableRandom rnd = new SplittableRandom(3);
    IndexGenerator g = new IndexGenerator(0);
    for (int n = 0; n < items; n++) {
      g.reset(rnd.nextLong());
      long i = 0;
      while (i < limit) {
        hits[(int) i]++;
        i = g.next();
      }
    }
    assertThat(hits[0]).isEqualTo(items);
    for (int i : new int[] {1, 2, 5, 10, 50, 100, 1000}) {
      double expected = IndexGenerator.density(i) * items;
      // within 5 standard deviations of the binomial
      double sd = Math.sqrt(expected * (1 - IndexGenerator.density(i)));
      assertThat((double) hits[i]).as("hits at index %d", i).isCloseTo(expected, within(5 * sd));
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  @Test
  void savedPositionsResumeTheSameSequence() {
    IndexGenerator a = new IndexGenerator(99);
    for (int k = 0; k < 5; k++) {
      a.next();
    }
    IndexGenerator b = new IndexGenerator(0);
    b.restore(a.index(), a.state());
    for (int k = 0; k < 20; k++) {
      assertThat(b.next()).isEqualTo(a.next());
    }
  }
}
