package io.twinpath.core.inbound;

import io.twinpath.core.inbound.internal.BatchPolicy;
import io.twinpath.core.inbound.internal.CodedSymbols;
import io.twinpath.core.inbound.internal.OddSketch;
import io.twinpath.core.inbound.internal.ReconcileMessages;
import io.twinpath.core.inbound.internal.ReconcileMessages.Abort;
import io.twinpath.core.inbound.internal.ReconcileMessages.Done;
import io.twinpath.core.inbound.internal.ReconcileMessages.Hello;
import io.twinpath.core.inbound.internal.ReconcileMessages.Message;
import io.twinpath.core.inbound.internal.ReconcileMessages.More;
import io.twinpath.core.inbound.internal.ReconcileMessages.Symbols;
import io.twinpath.core.inbound.internal.ReconcileMessages.Synced;
import io.twinpath.core.inbound.internal.WireFormatException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers reconciliations started by a peer: compares digests, streams coded symbols of its own set
 * on request. Holds a frozen view of the set per open session (at most {@value #MAX_SESSIONS}, the
 * oldest forgotten first). Thread-safe; transport-free.
 */
public final class ReconcileResponder {
  static final int MAX_SESSIONS = 16;
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileResponder.class);

  private final InboundIdSet set;
  private final Map<Integer, SetSnapshot> sessions =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, SetSnapshot> eldest) {
          return size() > MAX_SESSIONS;
        }
      };

  public ReconcileResponder(InboundIdSet set) {
    this.set = set;
  }

  /**
   * Handles one payload from an initiator.
   *
   * @return the payload to send back, or null when nothing is to be sent
   */
  public synchronized byte @Nullable [] onMessage(byte[] payload) {
    Message m;
    try {
      m = ReconcileMessages.decode(payload);
    } catch (WireFormatException e) {
      LOG.warn("Ignored a malformed reconciliation message: {}", e.getMessage());
      return null;
    }
    if (m instanceof Hello h) {
      return onHello(h);
    }
    if (m instanceof More r) {
      return onMore(r);
    }
    if (m instanceof Done || m instanceof Abort) {
      sessions.remove(m.session());
      return null;
    }
    LOG.warn(
        "Ignored an unexpected {} from a reconciliation initiator", m.getClass().getSimpleName());
    return null;
  }

  private byte[] onHello(Hello h) {
    SetSnapshot snap = set.snapshot();
    if (snap.size == h.size()
        && snap.checksum0() == h.checksum0()
        && snap.digestSum == h.digestSum()) {
      sessions.remove(h.session());
      return ReconcileMessages.encode(new Synced(h.session()));
    }
    sessions.put(h.session(), snap);
    double estimate = OddSketch.estimateSmall(snap.smallSketch, h.sketch());
    long lowerBound = Math.abs(snap.size - h.size());
    int first = BatchPolicy.first(estimate, lowerBound);
    long[] strata = estimate < 0 ? snap.fullSketch.clone() : null;
    long sent = estimate < 0 ? 0 : Math.round(Math.max(estimate, lowerBound));
    return symbols(h.session(), snap, 0, first, sent, strata);
  }

  private byte[] onMore(More r) {
    SetSnapshot snap = sessions.get(r.session());
    if (snap == null) {
      return ReconcileMessages.encode(
          new Abort(r.session(), Abort.UNKNOWN_SESSION, "no open reconciliation with this number"));
    }
    int want =
        Math.min(
            Math.min(r.want(), ReconcileMessages.MAX_BATCH),
            ReconcileMessages.MAX_INDEX - r.received());
    if (want <= 0) {
      sessions.remove(r.session());
      return ReconcileMessages.encode(
          new Abort(
              r.session(),
              Abort.TOO_MANY_SYMBOLS,
              "no symbols are sent beyond index " + ReconcileMessages.MAX_INDEX));
    }
    return symbols(r.session(), snap, r.received(), want, 0, null);
  }

  private byte[] symbols(
      int session,
      SetSnapshot snap,
      int start,
      int count,
      long estimate,
      long @Nullable [] strata) {
    CodedSymbols cs = snap.symbols(start + count);
    if (cs == null) {
      sessions.remove(session);
      return ReconcileMessages.encode(
          new Abort(
              session, Abort.SET_CHANGED, "the responder's set changed during the reconciliation"));
    }
    long[] sum = new long[count];
    long[] chk = new long[count];
    long[] cnt = new long[count];
    for (int k = 0; k < count; k++) {
      sum[k] = cs.sum(start + k);
      chk[k] = cs.checksum(start + k);
      cnt[k] = cs.count(start + k);
    }
    return ReconcileMessages.encode(
        new Symbols(session, start, snap.size, snap.digestSum, estimate, strata, sum, chk, cnt));
  }

  /** Open sessions, for tests and status. */
  synchronized int openSessions() {
    return sessions.size();
  }

  @Override
  public String toString() {
    return "ReconcileResponder" + Arrays.asList(set);
  }
}
