package io.twinpath.core.event;

/** How a failed attempt is classified, which decides what happens next. */
public enum FailureClass {
  /** Another path, or a later try, could succeed: the turn passes on. */
  TEMPORARY,
  /** Nobody can succeed with these bytes and credentials: reported to the origin, not retried. */
  PERMANENT,
  /** The server may or may not have taken the message (reply to the final dot lost): retried. */
  AMBIGUOUS
}
