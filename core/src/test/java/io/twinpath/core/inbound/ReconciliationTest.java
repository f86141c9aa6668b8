package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.inbound.internal.ReconcileMessages;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
  private static Set<Long> values(List<InboundId> ids) {
    Set<Long> out = new HashSet<>();
    ids.forEach(i -> out.add(i.value()));
    return out;
  }

  @Test
  void equalSetsCostOneRoundTripAndAtMost64Bytes() {
    InboundIdSet[] s = Loopback.pair(new Random(1), 1_000_000 / 20, 0, 0);
    ReconcileResult r = Loopback.reconcile(s[0], s[1], 1);
    assertThat(r.status()).isEqualTo(ReconcileResult.Status.IN_SYNC);
    assertThat(r.roundTrips()).isEqualTo(1);
    assertThat(r.bytesTotal()).isLessThanOrEqualTo(64);
    assertThat(r.missingHere()).isEmpty();
    assertThat(r.missingThere()).isEmpty();
  }

  @Test
  void emptySetsAreInSync() {
    ReconcileResult r = Loopback.reconcile(InboundIdSet.create(), InboundIdSet.create(), 2);
    assertThat(r.status()).isEqualTo(ReconcileResult.Status.IN_SYNC);
  }

  @Test
  void findsADifferenceOnEitherSideOrBoth() {
    Random rnd = new Random(2);
    InboundIdSet a = InboundIdSet.create();
    InboundIdSet b = InboundIdSet.create();
    List<Long> common = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      long x = rnd.nextLong();
      common.add(x);
      a.addRaw(x);
      b.addRaw(x);
    }
    a.addRaw(111);
    a.addRaw(222);
    b.addRaw(333);
    ReconcileResult r = Loopback.reconcile(a, b, 3);
    assertThat(r.status()).isEqualTo(ReconcileResult.Status.DECODED);
    assertThat(values(r.missingHere())).containsExactly(333L);
    assertThat(values(r.missingThere())).containsExactlyInAnyOrder(111L, 222L);

    // against an empty peer, everything is missing there
    ReconcileResult all = Loopback.reconcile(a, InboundIdSet.create(), 4);
    assertThat(all.missingThere()).hasSize(5_002);
    assertThat(all.missingHere()).isEmpty();
  }

  @Test
  void removalsAreReconciledToo() {
    Random rnd = new Random(3);
    InboundIdSet[] s = Loopback.pair(rnd, 2_000, 0, 0);
    InboundId gone = s[1].ids().get(17);
    s[1].remove(gone);
    ReconcileResult r = Loopback.reconcile(s[0], s[1], 5);
    assertThat(r.missingThere()).containsExactly(gone);
    assertThat(r.missingHere()).isEmpty();
  }

  @Test
  void aSetThatChangesWhileMoreSymbolsAreNeededEndsTheSessionCleanly() {
    // a tiny kept prefix forces the responder to compute more symbols from the live set
    InboundIdSet a = InboundIdSet.create(1, 2, 4);
    InboundIdSet b = InboundIdSet.create(1, 2, 4);
    Random rnd = new Random(4);
    // equal sizes and a difference too big for the small sketch: the first batch cannot decode
    for (int i = 0; i < 300; i++) {
      a.addRaw(rnd.nextLong());
      b.addRaw(rnd.nextLong());
    }
    ReconcileInitiator ini = Reconciliation.initiate(a, 6);
    ReconcileResponder res = Reconciliation.responder(b);
    byte[] first = res.onMessage(ini.hello());
    b.addRaw(12345); // the responder's set moves on
    assertThat(first).isNotNull();
    ReconcileInitiator.Step step = ini.onMessage(first);
    while (step.result() == null) {
      byte[] answer = res.onMessage(step.reply());
      assertThat(answer).isNotNull();
      step = ini.onMessage(answer);
    }
    assertThat(step.result().status()).isEqualTo(ReconcileResult.Status.FAILED);
    assertThat(step.result().failure()).contains("changed");
    // a new session against the new state succeeds
    ReconcileResult again = Loopback.reconcile(a, b, 7);
    assertThat(again.missingHere()).hasSize(301);
    assertThat(again.missingThere()).hasSize(300);
  }

  @Test
  void duplicatedAndForeignMessagesAreIgnored() {
    InboundIdSet[] s = Loopback.pair(new Random(5), 1_000, 30, 30);
    ReconcileInitiator ini = Reconciliation.initiate(s[0], 8);
    ReconcileResponder res = Reconciliation.responder(s[1]);
    byte[] hello = ini.hello();
    byte[] batch = res.onMessage(hello);
    assertThat(res.onMessage(hello)).isEqualTo(batch); // a redelivered HELLO
    ReconcileInitiator.Step step = ini.onMessage(batch);
    ReconcileInitiator.Step again = ini.onMessage(batch);
    if (step.result() == null) {
      assertThat(again.reply()).isNull(); // the duplicate batch changes nothing
      assertThat(again.result()).isNull();
    }
    ReconcileInitiator.Step foreign =
        ini.onMessage(ReconcileMessages.encode(new ReconcileMessages.Synced(999)));
    assertThat(foreign.result()).isSameAs(step.result());
    while (step.result() == null) {
      step = ini.onMessage(res.onMessage(step.reply()));
    }
    assertThat(step.result().missingHere()).hasSize(30);
    assertThat(step.result().missingThere()).hasSize(30);
  }

  @Test
  void garbageIsAnsweredWithoutHarm() {
    InboundIdSet set = InboundIdSet.create();
    ReconcileResponder res = Reconciliation.responder(set);
    assertThat(res.onMessage(new byte[] {1, 2, 3})).isNull();
    assertThat(res.onMessage(new byte[0])).isNull();
    ReconcileInitiator ini = Reconciliation.initiate(set, 9);
    ini.hello();
    ReconcileInitiator.Step step = ini.onMessage(new byte[] {0x13, 0, 0, 0, 9, 1});
    assertThat(step.result().status()).isEqualTo(ReconcileResult.Status.FAILED);
    assertThat(step.result().failure()).contains("malformed");
    assertThat(step.reply()).isNotNull(); // an ABORT tells the responder
  }

  @Test
  void anUnknownSessionIsRefused() {
    ReconcileResponder res = Reconciliation.responder(InboundIdSet.create());
    byte[] reply = res.onMessage(ReconcileMessages.encode(new ReconcileMessages.More(77, 10, 10)));
    assertThat(ReconcileMessages.decode(reply)).isInstanceOf(ReconcileMessages.Abort.class);
  }
}
