package io.twinpath.core.inbound;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one reconciliation, as the initiator sees it: what it lacks, what the responder
 * lacks, and what the exchange cost.
 */
public final class ReconcileResult {
  /** How a reconciliation ended. */
  public enum Status {
    /** The digests were equal: nothing differs. */
    IN_SYNC,
    /** The difference was decoded and the full-set digests agree with it. */
    DECODED,
    /** The session was given up (see {@link #failure()}); start another later. */
    FAILED
  }

  private final Status status;
  private final List<InboundId> missingHere;
  private final List<InboundId> missingThere;
  private final int symbols;
  private final int roundTrips;
  private final long bytesSent;
  private final long bytesReceived;
  private final String failure;

  ReconcileResult(
      Status status,
      List<InboundId> missingHere,
      List<InboundId> missingThere,
      int symbols,
      int roundTrips,
      long bytesSent,
      long bytesReceived,
      String failure) {
    this.status = status;
    this.missingHere = List.copyOf(missingHere);
    this.missingThere = List.copyOf(missingThere);
    this.symbols = symbols;
    this.roundTrips = roundTrips;
    this.bytesSent = bytesSent;
    this.bytesReceived = bytesReceived;
    this.failure = Objects.requireNonNull(failure);
  }

  public Status status() {
    return status;
  }

  public boolean succeeded() {
    return status != Status.FAILED;
  }

  /** Ids the responder holds and this device lacks. */
  public List<InboundId> missingHere() {
    return missingHere;
  }

  /** Ids this device holds and the responder lacks. */
  public List<InboundId> missingThere() {
    return missingThere;
  }

  /** Coded symbols received. */
  public int symbols() {
    return symbols;
  }

  /** Request/response exchanges (the opening digest and its answer count as one). */
  public int roundTrips() {
    return roundTrips;
  }

  /** Payload bytes this device sent. */
  public long bytesSent() {
    return bytesSent;
  }

  /** Payload bytes this device received. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** Both directions. */
  public long bytesTotal() {
    return bytesSent + bytesReceived;
  }

  /** Why the session failed; empty otherwise. */
  public String failure() {
    return failure;
  }

  @Override
  public String toString() {
    return status
        + ": "
        + missingHere.size()
        + " missing here, "
        + missingThere.size()
        + " missing there, "
        + symbols
        + " symbols, "
        + roundTrips
        + " round trips, "
        + bytesTotal()
        + " bytes"
        + (failure.isEmpty() ? "" : " (" + failure + ")");
  }
}
