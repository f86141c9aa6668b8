package io.twinpath.core.engine.internal;

/**
 * What happens to an item on one device. Guards (is the copy complete, is another device reachable,
 * is this device the one to take over) are decided by the coordinator before it picks the trigger,
 * so the table itself has no conditions.
 */
public enum Trigger {
  /** The item was queued on this device (the origin), which takes the first turn. */
  SUBMITTED,
  /** This device's attempt delivered to every remaining recipient. */
  ATTEMPT_DELIVERED,
  /** This device's attempt was refused for good (5xx, size, auth). */
  ATTEMPT_PERMANENT,
  /** A temporary failure, and another device is reachable to take the turn. */
  ATTEMPT_TEMPORARY_PASS,
  /** A temporary failure, and no other device is reachable: this device keeps the turn. */
  ATTEMPT_TEMPORARY_KEEP,
  /** The reply to the final dot was lost; another device is reachable. */
  ATTEMPT_AMBIGUOUS_PASS,
  /** The reply to the final dot was lost; no other device is reachable. */
  ATTEMPT_AMBIGUOUS_KEEP,
  /** A turn under a newer epoch names this device, whose copy is complete. */
  TURN_GRANTED_WITH_COPY,
  /** A turn under a newer epoch names this device, whose copy is not complete. */
  TURN_GRANTED_NO_COPY,
  /** A turn under a newer epoch names another device. */
  TURN_ELSEWHERE,
  /** A turn under an epoch older than the newest this device knows. */
  TURN_STALE,
  /** A peer announced the final outcome (delivered, failed, expired). */
  OUTCOME,
  /** The turn holder's last will fired and this device is the next reachable one after it. */
  HOLDER_OFFLINE,
  /** The turn holder is online again. */
  HOLDER_ONLINE,
  /** The takeover delay passed, the holder is still offline, and this device's copy is complete. */
  TAKEOVER_DUE_WITH_COPY,
  /** The takeover delay passed, the holder is still offline, the copy is not complete. */
  TAKEOVER_DUE_NO_COPY,
  /** The backoff before this device's next attempt passed. */
  BACKOFF_DUE,
  /** The copy of the item on this device became complete and verified. */
  COPY_COMPLETE,
  /** The item's expiry time passed. */
  EXPIRED,
  /** The user on the item's origin cancelled it (no attempt is running here). */
  CANCELLED,
  /**
   * This device restarted and found the item unfinished in its records; no attempt of it was past
   * its final dot.
   */
  RESTARTED,
  /**
   * This device restarted and found the item's record marked: an attempt had been allowed its final
   * dot and its reply was never seen (the item may be finished already).
   */
  RESTARTED_AFTER_FINAL_DOT,
  /**
   * Every reachable peer answered (or the wait ended): this device holds the turn, copy complete.
   */
  SYNCED_HOLDER_WITH_COPY,
  /** As above, but this device's copy is not complete. */
  SYNCED_HOLDER_NO_COPY,
  /** Every reachable peer answered (or the wait ended): another device holds the turn. */
  SYNCED_NOT_HOLDER,
  /**
   * The granter of a turn answered this device's sync (or stayed offline for the takeover delay):
   * the grant stands, copy complete; the attempt follows after the turn's backoff.
   */
  GRANT_CONFIRMED_WITH_COPY,
  /** As above, but this device's copy is not complete. */
  GRANT_CONFIRMED_NO_COPY
}
