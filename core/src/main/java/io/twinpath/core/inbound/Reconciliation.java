package io.twinpath.core.inbound;

import java.security.SecureRandom;

/**
 * Entry points of set reconciliation between two devices' {@link InboundIdSet}s.
 *
 * <pre>{@code
 * ReconcileInitiator ini = Reconciliation.initiate(mySet);
 * send(ini.hello());
 * // for each payload from the peer:
 * ReconcileInitiator.Step step = ini.onMessage(payload);
 * if (step.reply() != null) send(step.reply());
 * if (step.result() != null) ... // missingHere(), missingThere()
 *
 * // on the peer:
 * ReconcileResponder responder = Reconciliation.responder(peerSet);
 * byte[] reply = responder.onMessage(payload); // send it back when not null
 * }</pre>
 */
public final class Reconciliation {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Reconciliation() {}

  /** Starts a reconciliation of {@code local} with a new random session number. */
  public static ReconcileInitiator initiate(InboundIdSet local) {
    return new ReconcileInitiator(local, RANDOM.nextInt());
  }

  /** Starts a reconciliation with a given session number (tests, replays). */
  public static ReconcileInitiator initiate(InboundIdSet local, int session) {
    return new ReconcileInitiator(local, session);
  }

  /** Answers the reconciliations peers start against {@code local}. */
  public static ReconcileResponder responder(InboundIdSet local) {
    return new ReconcileResponder(local);
  }
}
