package io.twinpath.core.engine.internal;

/** Where one device stands with one item. */
public enum Phase {
  /** Another device holds the turn (or nobody is known to); this device keeps its copy ready. */
  WAITING,
  /** This device holds the turn but its copy is not complete yet. */
  WAIT_COPY,
  /** This device holds the turn and waits for the backoff before attempting. */
  BACKOFF,
  /** This device holds the turn and an attempt is running. */
  ATTEMPTING,
  /** After a restart: asking the peers what happened before doing anything. */
  SYNCING,
  /** Finished everywhere: delivered, failed for good, or expired. Kept as a small record. */
  DONE
}
