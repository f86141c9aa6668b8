package io.twinpath.core.inbound;

import java.util.Random;

/** Runs one reconciliation between two sets in memory, message by message. */
final class Loopback {
  private Loopback() {}

  static ReconcileResult reconcile(
      InboundIdSet initiatorSet, InboundIdSet responderSet, int session) {
    ReconcileInitiator ini = Reconciliation.initiate(initiatorSet, session);
    ReconcileResponder res = Reconciliation.responder(responderSet);
    byte[] toResponder = ini.hello();
    for (int guard = 0; guard < 10_000; guard++) {
      byte[] toInitiator = res.onMessage(toResponder);
      if (toInitiator == null) {
        throw new AssertionError("the responder did not answer");
      }
      ReconcileInitiator.Step step = ini.onMessage(toInitiator);
      if (step.result() != null) {
        if (step.reply() != null) {
          res.onMessage(step.reply());
        }
        return step.result();
      }
      if (step.reply() == null) {
        throw new AssertionError("the initiator neither answered nor finished");
      }
      toResponder = step.reply();
    }
    throw new AssertionError("no end after 10,000 messages");
  }

  /**
   * Two sets with {@code common} shared ids, {@code onlyA} ids only in a, {@code onlyB} only in b.
   */
  static InboundIdSet[] pair(Random rnd, int common, int onlyA, int onlyB) {
    InboundIdSet a = InboundIdSet.create();
    InboundIdSet b = InboundIdSet.create();
    for (int i = 0; i < common; i++) {
      long x = rnd.nextLong();
      a.addRaw(x);
      b.addRaw(x);
    }
    for (int i = 0; i < onlyA; i++) {
      a.addRaw(rnd.nextLong());
    }
    for (int i = 0; i < onlyB; i++) {
      b.addRaw(rnd.nextLong());
    }
    return new InboundIdSet[] {a, b};
  }
}
