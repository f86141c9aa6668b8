package io.twinpath.core.item.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams bytes with every line ending turned into CRLF: a bare LF or a bare CR becomes CRLF, CRLF
 * stays, and a last line without an ending gets one. Every other byte (8-bit included) passes
 * unchanged. This is the same conversion an SMTP client applies on the wire, so the bytes kept in
 * the spool are exactly the bytes that are sent.
 */
public final class CrlfInputStream extends FilterInputStream {
  private final byte[] buf = new byte[8192];
  private final byte[] one = new byte[1];
  private int inPos;
  private int inLen;
  private boolean lastWasCr;
  private boolean emittedAny;
  private boolean lastEmittedLf;
  private boolean eof;
  private int pendingLf; // an LF still owed after a CR at the end of the output buffer

  public CrlfInputStream(InputStream source) {
    super(source);
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int out = off;
    int end = off + len;
    while (out < end) {
      if (pendingLf > 0) {
        b[out++] = '\n';
        pendingLf = 0;
        lastEmittedLf = true;
        continue;
      }
      if (inPos == inLen) {
        if (eof) {
          break;
        }
        if (out > off && in.available() <= 0) {
          // return what we have rather than block for more
          break;
        }
        inLen = in.read(buf, 0, buf.length);
        inPos = 0;
        if (inLen < 0) {
          inLen = 0;
          eof = true;
          if (lastWasCr) {
            lastWasCr = false; // the CR already became CRLF
          } else if (emittedAny && !lastEmittedLf) {
            b[out++] = '\r';
            emittedAny = true;
            lastEmittedLf = false;
            pendingLf = 1;
          }
          continue;
        }
        continue;
      }
      byte c = buf[inPos++];
      if (c == '\n') {
        if (lastWasCr) {
          lastWasCr = false; // CRLF: the LF was already written after the CR
          continue;
        }
        b[out++] = '\r';
        pendingLf = 1;
      } else if (c == '\r') {
        lastWasCr = true;
        b[out++] = '\r';
        pendingLf = 1;
      } else {
        lastWasCr = false;
        b[out++] = c;
        lastEmittedLf = false;
      }
      emittedAny = true;
    }
    int n = out - off;
    return n == 0 && eof && pendingLf == 0 ? -1 : n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, left));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
  }

  @Override
  public int available() {
    return pendingLf + (inLen - inPos);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
