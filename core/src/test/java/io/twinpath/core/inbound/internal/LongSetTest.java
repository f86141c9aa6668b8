package io.twinpath.core.inbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongSetTest {
  @Test
  void behavesLikeAHashSetUnderRandomAddsAndRemoves() {
    Random rnd = new Random(5);
    LongSet mine = new LongSet();
    Set<Long> ref = new HashSet<>();
    for (int step = 0; step < 200_000; step++) {
      // a small range makes collisions, removals of present values and the zero value frequent
      long v = rnd.nextInt(5_000) - 100;
      if (rnd.nextInt(3) == 0) {
        assertThat(mine.remove(v)).isEqualTo(ref.remove(v));
      } else {
        assertThat(mine.add(v)).isEqualTo(ref.add(v));
      }
    }
    assertThat(mine.size()).isEqualTo(ref.size());
    for (long v = -100; v < 4_900; v++) {
      assertThat(mine.contains(v)).isEqualTo(ref.contains(v));
    }
    Set<Long> listed = new HashSet<>();
    mine.forEach(listed::add);
    assertThat(listed).isEqualTo(ref);
  }
}
