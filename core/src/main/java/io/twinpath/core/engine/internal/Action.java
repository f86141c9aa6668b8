package io.twinpath.core.engine.internal;

/** What the coordinator does in a transition, in the order listed. */
public enum Action {
  /** Start (or resume) streaming the item to every peer in parallel. */
  START_COPY,
  /** Take the turn under a new epoch of this device (takeover) and tell every peer. */
  TAKE_TURN,
  /** Adopt the newer epoch and holder from the received turn. */
  ADOPT_EPOCH,
  /** Start an attempt on this device's path now. */
  START_ATTEMPT,
  /** Schedule an attempt after the backoff of the current round (zero in the first round). */
  SCHEDULE_ATTEMPT,
  /** Pass the turn to the next reachable device under a new epoch; tell every peer. */
  PASS_TURN,
  /** Count and report a possible duplicate. */
  COUNT_DUPLICATE,
  /** Record the failure (reason, class) and report it. */
  RECORD_FAILURE,
  /** Tell every peer the final outcome decided here. */
  ANNOUNCE_OUTCOME,
  /** Mark the item expired (the outcome then announced is "expired"). */
  MARK_EXPIRED,
  MARK_CANCELLED,
  /** Stop, cancel timers, delete this device's copy, record the outcome (origin) and report it. */
  FINISH,
  /** Answer the sender of a late command with the outcome already known here. */
  REPLY_OUTCOME,
  /** Refuse a stale command and report it. */
  REJECT_STALE,
  /** Answer the sender of a stale turn with the newer turn (epoch and holder) known here. */
  REPLY_TURN,
  /** Start the takeover timer. */
  SCHEDULE_TAKEOVER,
  /** Cancel the takeover timer. */
  CANCEL_TAKEOVER,
  /** Ask every peer for what it knows about the item, and start the sync timer. */
  REQUEST_SYNC,
  /**
   * Ask the device that granted the turn (a {@code sync}) before attempting under it; the item goes
   * on once it answered, or once it stayed offline for the takeover delay.
   */
  CONFIRM_TURN
}
