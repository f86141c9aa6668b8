package io.twinpath.core.spool;

import java.io.IOException;

/**
 * The spool refused new bytes: its storage budget is used up, or the disk is full. Nothing already
 * queued was touched; the refused item was not stored.
 */
public final class SpoolFullException extends IOException {
  private static final long serialVersionUID = 1L;

  public SpoolFullException(String message) {
    super(message);
  }

  public SpoolFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
