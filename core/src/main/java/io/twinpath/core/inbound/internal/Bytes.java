package io.twinpath.core.inbound.internal;

import java.util.Arrays;

/** A growable byte buffer with the encodings of the wire format (big-endian, LEB128 varints). */
public final class Bytes {
  private byte[] buf;
  private int len;

  public Bytes(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  public Bytes u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  public Bytes u32(int v) {
    ensure(4);
    for (int s = 24; s >= 0; s -= 8) {
      buf[len++] = (byte) (v >>> s);
    }
    return this;
  }

  /** The low 48 bits, big-endian. */
  public Bytes u48(long v) {
    ensure(6);
    for (int s = 40; s >= 0; s -= 8) {
      buf[len++] = (byte) (v >>> s);
    }
    return this;
  }

  public Bytes u64(long v) {
    ensure(8);
    for (int s = 56; s >= 0; s -= 8) {
      buf[len++] = (byte) (v >>> s);
    }
    return this;
  }

  /** Unsigned LEB128: 7 bits a byte, low bits first, high bit set on all but the last byte. */
  public Bytes varint(long v) {
    ensure(10);
    while ((v & ~0x7fL) != 0) {
      buf[len++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
    return this;
  }

  /** Zig-zag then LEB128: small magnitudes of either sign take few bytes. */
  public Bytes zigzag(long v) {
    return varint((v << 1) ^ (v >> 63));
  }

  public Bytes raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  public int length() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  /** Reads what {@link Bytes} writes; every read checks the bounds and names what is missing. */
  public static final class Reader {
    private final byte[] b;
    private int pos;

    public Reader(byte[] b) {
      this.b = b;
    }

    public int position() {
      return pos;
    }

    public int remaining() {
      return b.length - pos;
    }

    public int u8(String what) {
      need(1, what);
      return b[pos++] & 0xff;
    }

    public int u32(String what) {
      need(4, what);
      int v = 0;
      for (int i = 0; i < 4; i++) {
        v = (v << 8) | (b[pos++] & 0xff);
      }
      return v;
    }

    public long u64(String what) {
      need(8, what);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[pos++] & 0xff);
      }
      return v;
    }

    public long u48(String what) {
      need(6, what);
      long v = 0;
      for (int i = 0; i < 6; i++) {
        v = (v << 8) | (b[pos++] & 0xff);
      }
      return v;
    }

    public long varint(String what) {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        need(1, what);
        int x = b[pos++] & 0xff;
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new WireFormatException(what + " is a varint longer than 10 bytes");
    }

    /** A varint that must lie in {@code [0, max]}. */
    public int varintInt(String what, int max) {
      long v = varint(what);
      if (v < 0 || v > max) {
        throw new WireFormatException(what + " is " + Long.toUnsignedString(v) + ", above " + max);
      }
      return (int) v;
    }

    public long zigzag(String what) {
      long v = varint(what);
      return (v >>> 1) ^ -(v & 1);
    }

    public byte[] raw(int n, String what) {
      need(n, what);
      byte[] out = Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    public void end(String message) {
      if (pos != b.length) {
        throw new WireFormatException(
            message + " has " + (b.length - pos) + " unexpected bytes after its end");
      }
    }

    private void need(int n, String what) {
      if (b.length - pos < n) {
        throw new WireFormatException(
            "the message ends before " + what + " (at byte " + pos + " of " + b.length + ")");
      }
    }
  }
}
