package io.twinpath.core.item;

import java.io.IOException;

/**
 * A message that cannot be queued as it is: no header section, no empty line before the body, a
 * malformed header line, a missing {@code Message-ID} or {@code Date}, or over the size limit. The
 * message says which, in a sentence meant for the user. Nothing was stored.
 */
public final class InvalidMessageException extends IOException {
  private static final long serialVersionUID = 1L;

  public InvalidMessageException(String message) {
    super(message);
  }
}
