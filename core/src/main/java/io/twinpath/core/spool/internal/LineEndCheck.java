package io.twinpath.core.spool.internal;

import io.twinpath.core.item.InvalidMessageException;

/** Checks that the bytes use CRLF line endings only and end with CRLF. */
final class LineEndCheck {
  private byte prev;

  void check(byte[] b, int n, long offset) throws InvalidMessageException {
    for (int i = 0; i < n; i++) {
      byte c = b[i];
      if (c == '\n' && prev != '\r') {
        throw new InvalidMessageException(
            "the message has a bare LF at byte "
                + (offset + i)
                + "; prepare it with MessagePreparer (which writes CRLF) before queueing");
      }
      if (prev == '\r' && c != '\n') {
        throw new InvalidMessageException(
            "the message has a bare CR at byte "
                + (offset + i - 1)
                + "; prepare it with MessagePreparer before queueing");
      }
      prev = c;
    }
  }

  void finish(long size) throws InvalidMessageException {
    if (size == 0 || prev != '\n') {
      throw new InvalidMessageException(
          "the message does not end with CRLF; prepare it with MessagePreparer before queueing");
    }
  }
}
