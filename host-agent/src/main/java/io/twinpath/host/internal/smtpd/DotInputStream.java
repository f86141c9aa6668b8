package io.twinpath.host.internal.smtpd;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an SMTP DATA command (RFC 5321 4.1.1.4, 4.5.2): ends at CRLF "." CRLF, and a line
 * starting with a dot loses that dot. Only CRLF ends a line, so a bare LF before a dot never ends
 * the message (no SMTP smuggling). The end of the connection before the final dot is an {@link
 * EOFException}.
 */
final class DotInputStream extends InputStream {
  private static final int BOL = 0; // at the beginning of a line
  private static final int MID = 1;
  private static final int CR = 2; // after a CR in a line
  private static final int DOT = 3; // after a dot at the beginning of a line
  private static final int DOT_CR = 4; // after "." CR at the beginning of a line
  private static final int END = 5;

  private final InputStream in;
  private int state = BOL;
  private int pushback = -1; // a byte read ahead, to be processed again

  DotInputStream(InputStream in) {
    this.in = in;
  }

  /** True once the final dot has been read. */
  boolean atEnd() {
    return state == END;
  }

  @Override
  public int read() throws IOException {
    while (true) {
      if (state == END) {
        return -1;
      }
      int c;
      if (pushback >= 0) {
        c = pushback;
        pushback = -1;
      } else {
        c = in.read();
      }
      if (c < 0) {
        throw new EOFException("the connection ended before the final dot of the message");
      }
      switch (state) {
        case BOL:
          if (c == '.') {
            state = DOT;
            continue;
          }
          return emit(c);
        case DOT:
          if (c == '\r') {
            state = DOT_CR;
            continue;
          }
          return emit(c); // the stuffed dot is dropped
        case DOT_CR:
          if (c == '\n') {
            state = END;
            return -1;
          }
          // "." CR x: the dot was stuffing, the CR is data, x is read again
          state = CR;
          pushback = c;
          return '\r';
        default:
          return emit(c);
      }
    }
  }

  /** Emits {@code c} and moves the line state on. */
  private int emit(int c) {
    if (c == '\r') {
      state = CR;
    } else if (c == '\n' && state == CR) {
      state = BOL;
    } else {
      state = MID;
    }
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    while (n < len) {
      if (n > 0 && pushback < 0 && in.available() <= 0) {
        break;
      }
      int c = read();
      if (c < 0) {
        break;
      }
      b[off + n++] = (byte) c;
    }
    return n == 0 ? -1 : n;
  }

  /** Reads and discards the rest of the message up to the final dot. */
  void drain() throws IOException {
    while (read() >= 0) {
      // discard
    }
  }
}
