package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random sets of 0 to 100,000 ids with 0 to 5,000 differences on one side, the other or both:
 * reconciliation always finds exactly the difference.
 */
class ReconciliationPropertyTest {
  private static final long SEED = 20261126L;

  private static Set<Long> values(List<InboundId> ids) {
    Set<Long> out = new HashSet<>();
    ids.forEach(i -> out.add(i.value()));
    return out;
  }

  @Test
  void alwaysFindsTheExactDifference() {
    Random rnd = new Random(SEED);
    int[] sizes = {0, 1, 2, 10, 100, 1_000, 10_000, 100_000};
    int[] diffs = {0, 1, 2, 3, 5, 10, 50, 100, 500, 1_000, 5_000};
    int cases = 0;
    long started = System.nanoTime();
    for (int round = 0; round < 6; round++) {
      for (int common : sizes) {
        // big sets with big differences are few, to keep the test short
        int d = diffs[rnd.nextInt(common >= 10_000 ? 6 : diffs.length)];
        if (round >= 4 && common >= 10_000) {
          d = 5_000;
        }
        int shape = rnd.nextInt(3); // 0: only a has extras, 1: only b, 2: both
        int onlyA = shape == 0 ? d : shape == 1 ? 0 : rnd.nextInt(d + 1);
        int onlyB = d - onlyA;
        InboundIdSet a = InboundIdSet.create();
        InboundIdSet b = InboundIdSet.create();
        Set<Long> expectA = new HashSet<>();
        Set<Long> expectB = new HashSet<>();
        for (int i = 0; i < common; i++) {
          long x = rnd.nextLong();
          a.addRaw(x);
          b.addRaw(x);
        }
        for (int i = 0; i < onlyA; i++) {
          long x = rnd.nextLong();
          a.addRaw(x);
          expectA.add(x);
        }
        for (int i = 0; i < onlyB; i++) {
          long x = rnd.nextLong();
          b.addRaw(x);
          expectB.add(x);
        }
        ReconcileResult r = Loopback.reconcile(a, b, cases);
        String what = "common=" + common + " onlyA=" + onlyA + " onlyB=" + onlyB + ": " + r;
        assertThat(r.succeeded()).as(what).isTrue();
        assertThat(values(r.missingThere())).as(what).isEqualTo(expectA);
        assertThat(values(r.missingHere())).as(what).isEqualTo(expectB);
        assertThat(r.status())
            .as(what)
            .isEqualTo(d == 0 ? ReconcileResult.Status.IN_SYNC : ReconcileResult.Status.DECODED);
        cases++;
      }
    }
    // many small cases: every difference shape over small sets
    for (int i = 0; i < 300; i++) {
      int common = rnd.nextInt(200);
      int onlyA = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(40);
      int onlyB = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(40);
      InboundIdSet[] s = Loopback.pair(rnd, common, onlyA, onlyB);
      ReconcileResult r = Loopback.reconcile(s[0], s[1], 1000 + i);
      assertThat(r.missingThere()).hasSize(onlyA);
      assertThat(r.missingHere()).hasSize(onlyB);
      assertThat(r.missingThere()).allMatch(s[0]::contains).noneMatch(s[1]::contains);
      assertThat(r.missingHere()).allMatch(s[1]::contains).noneMatch(s[0]::contains);
      cases++;
    }
    System.out.printf(
        "reconciliation property test: %d cases in %d ms%n",
        cases, (System.nanoTime() - started) / 1_000_000);
  }
}
