package io.twinpath.core.inbound;

import io.twinpath.core.inbound.internal.BatchPolicy;
import io.twinpath.core.inbound.internal.CodedSymbols;
import io.twinpath.core.inbound.internal.OddSketch;
import io.twinpath.core.inbound.internal.PeelingDecoder;
import io.twinpath.core.inbound.internal.ReconcileMessages;
import io.twinpath.core.inbound.internal.ReconcileMessages.Abort;
import io.twinpath.core.inbound.internal.ReconcileMessages.Done;
import io.twinpath.core.inbound.internal.ReconcileMessages.Hello;
import io.twinpath.core.inbound.internal.ReconcileMessages.Message;
import io.twinpath.core.inbound.internal.ReconcileMessages.More;
import io.twinpath.core.inbound.internal.ReconcileMessages.Symbols;
import io.twinpath.core.inbound.internal.ReconcileMessages.Synced;
import io.twinpath.core.inbound.internal.SipHash;
import io.twinpath.core.inbound.internal.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One reconciliation as seen by the device that starts it. Transport-free: {@link #hello()} gives
 * the first payload, each payload from the responder goes to {@link #onMessage(byte[])}, which says
 * what to send back and, at the end, the {@link ReconcileResult}.
 *
 * <p>The exchange: HELLO (the full-set digest and a 256-bit sketch, under 64 bytes) is answered by
 * SYNCED when the digests match (one round trip, done), or by a first batch of the responder's
 * coded symbols sized from the estimated difference. This side subtracts its own symbols, peels,
 * and asks for MORE until symbol 0 of the difference is empty; it then checks the decoded
 * difference against both full-set digests (size and the independent digest sum) and sends DONE.
 * Not thread-safe: feed it from one thread.
 */
public final class ReconcileInitiator {
  private final SetSnapshot local;
  private final SipHash checksumHash;
  private final SipHash digestHash;
  private final int session;
  private final PeelingDecoder decoder;
  private final int symbolLimit;
  private double estimate = -1;
  private boolean fromStrata;
  private long lowerBound;
  private int roundTrips;
  private long bytesSent;
  private long bytesReceived;
  private @Nullable ReconcileResult result;
  private boolean started;

  ReconcileInitiator(InboundIdSet set, int session) {
    this.local = set.snapshot();
    this.checksumHash = set.checksumHash();
    this.digestHash = set.digestHash();
    this.session = session;
    this.decoder = new PeelingDecoder(checksumHash, ReconcileMessages.WIRE_CHECKSUM_MASK);
    this.symbolLimit = ReconcileMessages.MAX_INDEX;
  }

  /** The session number carried by every message of this reconciliation. */
  public int session() {
    return session;
  }

  /** The opening message. */
  public byte[] hello() {
    if (started) {
      throw new IllegalStateException("hello() opens a reconciliation once");
    }
    started = true;
    roundTrips = 1;
    return sent(
        new Hello(
            session, local.size, local.checksum0(), local.digestSum, local.smallSketch.clone()));
  }

  /** The result once the reconciliation has ended, else null. */
  public @Nullable ReconcileResult result() {
    return result;
  }

  /**
   * Handles one payload from the responder.
   *
   * @return what to send back (possibly nothing) and, when finished, the result
   */
  public Step onMessage(byte[] payload) {
    if (result != null) {
      return new Step(null, result);
    }
    Message m;
    try {
      m = ReconcileMessages.decode(payload);
    } catch (WireFormatException e) {
      return fail(Abort.BAD_MESSAGE, "the responder sent a malformed message: " + e.getMessage());
    }
    if (m.session() != session) {
      return new Step(null, null); // another session's late message
    }
    bytesReceived += payload.length;
    if (m instanceof Synced) {
      result = finish(ReconcileResult.Status.IN_SYNC, List.of(), List.of(), "");
      return new Step(null, result);
    }
    if (m instanceof Abort a) {
      result =
          finish(
              ReconcileResult.Status.FAILED,
              List.of(),
              List.of(),
              "the responder gave up: " + a.text());
      return new Step(null, result);
    }
    if (m instanceof Symbols s) {
      return onSymbols(s);
    }
    return fail(
        Abort.BAD_MESSAGE, "the responder sent an unexpected " + m.getClass().getSimpleName());
  }

  private Step onSymbols(Symbols s) {
    if (s.start() != decoder.received()) {
      return new Step(null, null); // a duplicate (QoS 1 may deliver twice)
    }
    long[] strata = s.strata();
    if (strata != null) {
      estimate = OddSketch.estimateFull(local.fullSketch, strata);
      fromStrata = true;
    } else if (estimate < 0 && s.estimate() > 0) {
      estimate = s.estimate();
    }
    lowerBound = Math.abs(s.size() - local.size);
    int n = s.count();
    int to = s.start() + n;
    CodedSymbols mine = local.symbols(to);
    if (mine == null) {
      return fail(Abort.SET_CHANGED, "this device's set changed during the reconciliation");
    }
    long[] sum = new long[n];
    long[] chk = new long[n];
    long[] cnt = new long[n];
    for (int k = 0; k < n; k++) {
      int i = s.start() + k;
      sum[k] = s.sum()[k] ^ mine.sum(i);
      chk[k] = s.chk()[k] ^ (mine.checksum(i) & ReconcileMessages.WIRE_CHECKSUM_MASK);
      cnt[k] = s.cnt()[k] - mine.count(i);
    }
    decoder.add(sum, chk, cnt, n);
    if (decoder.decoded()) {
      return verifyAndFinish(s);
    }
    if (decoder.received() >= symbolLimit) {
      return fail(
          Abort.TOO_MANY_SYMBOLS,
          "the difference did not decode from " + decoder.received() + " symbols");
    }
    int want = BatchPolicy.next(decoder.received(), Math.max(estimate, lowerBound), fromStrata);
    want = Math.min(want, symbolLimit - decoder.received());
    roundTrips++;
    return new Step(sent(new More(session, decoder.received(), want)), null);
  }

  private Step verifyAndFinish(Symbols s) {
    long[] here = decoder.remoteOnly();
    long[] there = decoder.localOnly();
    long digest = local.digestSum;
    for (long x : here) {
      digest += digestHash.hash(x);
    }
    for (long x : there) {
      digest -= digestHash.hash(x);
    }
    long size = (long) local.size + here.length - there.length;
    if (digest != s.digestSum() || size != s.size()) {
      return fail(
          Abort.DIGEST_MISMATCH,
          "the decoded difference does not match the responder's full-set digest");
    }
    List<InboundId> missingHere = new ArrayList<>(here.length);
    for (long x : here) {
      missingHere.add(InboundId.of(x));
    }
    List<InboundId> missingThere = new ArrayList<>(there.length);
    for (long x : there) {
      missingThere.add(InboundId.of(x));
    }
    byte[] done = sent(new Done(session, decoder.received(), here.length, there.length));
    result = finish(ReconcileResult.Status.DECODED, missingHere, missingThere, "");
    return new Step(done, result);
  }

  private Step fail(int reason, String why) {
    byte[] abort = sent(new Abort(session, reason, why));
    result = finish(ReconcileResult.Status.FAILED, List.of(), List.of(), why);
    return new Step(abort, result);
  }

  private ReconcileResult finish(
      ReconcileResult.Status status, List<InboundId> here, List<InboundId> there, String why) {
    return new ReconcileResult(
        status, here, there, decoder.received(), roundTrips, bytesSent, bytesReceived, why);
  }

  private byte[] sent(Message m) {
    byte[] b = ReconcileMessages.encode(m);
    bytesSent += b.length;
    return b;
  }

  /** What {@link #onMessage(byte[])} asks for: a reply to send, and the result once finished. */
  public static final class Step {
    private final byte @Nullable [] reply;
    private final @Nullable ReconcileResult result;

    Step(byte @Nullable [] reply, @Nullable ReconcileResult result) {
      this.reply = reply;
      this.result = result;
    }

    /** The payload to send to the responder, if any. */
    public byte @Nullable [] reply() {
      return reply;
    }

    /** The result when the reconciliation has ended. */
    public @Nullable ReconcileResult result() {
      return result;
    }
  }
}
