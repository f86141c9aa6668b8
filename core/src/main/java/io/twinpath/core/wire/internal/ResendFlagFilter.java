package io.twinpath.core.wire.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The bytes a client writes to its broker, with the DUP flag of every PUBLISH cleared.
 *
 * <p>Paho sets DUP on each QoS 1 message it sends again after a reconnect (and on those it reads
 * back from its persistence at start). Moquette 0.17 routes such a message only to the subscribers
 * it once failed to reach; when it has no record of that (a broker restarted since, or a lost
 * PUBACK rather than a failed route) it asks Netty to retain the payload zero times, the {@code
 * IllegalArgumentException: increment: 0} kills the publisher's session thread, and every client
 * whose id maps to that thread gets no CONNACK from then on. Without the flag the broker routes the
 * message to every subscriber, which QoS 1 allows: a receiver takes a message at least once, and a
 * subscriber never sees the publisher's DUP flag anyway.
 *
 * <p>The filter follows the MQTT framing (first byte, remaining length, body) across writes of any
 * size and changes only the first byte of PUBLISH packets.
 */
public final class ResendFlagFilter extends FilterOutputStream {
  private static final int PUBLISH = 0x30;
  private static final int DUP = 0x08;

  /** Bytes of the current packet's body still to pass; -1 while reading a fixed header. */
  private long body = -1;

  /** Reading the remaining length: its value so far and the next digit's multiplier. */
  private long length;

  private long multiplier;
  private boolean inHeader;

  public ResendFlagFilter(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(next(b & 0xff));
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    int start = off;
    int i = off;
    while (i < end) {
      if (body > 0) {
        int skip = (int) Math.min(body, end - i);
        body -= skip;
        i += skip;
        if (body == 0) {
          body = -1;
        }
        continue;
      }
      int v = b[i] & 0xff;
      int w = next(v);
      if (w != v) {
        out.write(b, start, i - start);
        out.write(w);
        start = i + 1;
      }
      i++;
    }
    out.write(b, start, end - start);
  }

  /** Takes one byte outside a body; returns what to send for it. */
  private int next(int v) {
    if (body > 0) {
      if (--body == 0) {
        body = -1;
      }
      return v;
    }
    if (!inHeader) {
      inHeader = true;
      length = 0;
      multiplier = 1;
      return (v & 0xf0) == PUBLISH ? v & ~DUP : v;
    }
    length += (v & 0x7f) * multiplier;
    multiplier *= 128;
    if ((v & 0x80) == 0 || multiplier > 128L * 128 * 128 * 128) {
      inHeader = false;
      body = length == 0 ? -1 : length;
    }
    return v;
  }
}
