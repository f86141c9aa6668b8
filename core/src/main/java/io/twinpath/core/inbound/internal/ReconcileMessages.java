package io.twinpath.core.inbound.internal;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The binary messages of set reconciliation (documented in docs/PROTOCOL.md, "Inbound"). Every
 * message starts with a type byte (protocol version 1 in the high nibble) and the 32-bit session
 * number chosen by the initiator. Decoding checks every length and bound and throws {@link
 * WireFormatException} with a sentence saying what is wrong.
 */
public final class ReconcileMessages {
  public static final int HELLO = 0x11;
  public static final int SYNCED = 0x12;
  public static final int SYMBOLS = 0x13;
  public static final int MORE = 0x14;
  public static final int DONE = 0x15;
  public static final int ABORT = 0x16;

  /** At most this many coded symbols travel in one message (about 72 KB). */
  public static final int MAX_BATCH = 4096;

  /** Indices at or beyond this are never requested. */
  public static final int MAX_INDEX = 1 << 20;

  /** The checksum bits a symbol carries on the wire: the low 48 of the 64-bit keyed hash. */
  public static final long WIRE_CHECKSUM_MASK = (1L << 48) - 1;

  private static final int STRATA_BYTES = OddSketch.WORDS * 8;
  private static final int MAX_ABORT_TEXT = 400;

  private ReconcileMessages() {}

  public sealed interface Message permits Hello, Synced, Symbols, More, Done, Abort {
    int session();
  }

  /** Opens a session: the initiator's full-set digest and small sketch. */
  public record Hello(int session, long size, long checksum0, long digestSum, long[] sketch)
      implements Message {}

  /** The responder's digest equals the initiator's: nothing to do. */
  public record Synced(int session) implements Message {}

  /**
   * Coded symbols {@code start …} of the responder's set. {@code strata} (the full sketch) is sent
   * once, in the first batch, when the small sketch could not estimate the difference.
   */
  public record Symbols(
      int session,
      int start,
      long size,
      long digestSum,
      long estimate,
      long @Nullable [] strata,
      long[] sum,
      long[] chk,
      long[] cnt)
      implements Message {
    public int count() {
      return sum.length;
    }
  }

  /** The initiator has {@code received} symbols and wants {@code want} more. */
  public record More(int session, int received, int want) implements Message {}

  /** The initiator decoded the difference and checked the digests. */
  public record Done(int session, int received, int missingHere, int missingThere)
      implements Message {}

  /** Either side gives up on the session. */
  public record Abort(int session, int reason, String text) implements Message {
    public static final int DIGEST_MISMATCH = 1;
    public static final int SET_CHANGED = 2;
    public static final int TOO_MANY_SYMBOLS = 3;
    public static final int BAD_MESSAGE = 4;
    public static final int UNKNOWN_SESSION = 5;
  }

  /** The count field travels as its difference from the expected count {@code 2n / (i + 2)}. */
  static long expectedCount(long n, long index) {
    long div = index + 2;
    return (2 * n + div / 2) / div;
  }

  public static byte[] encode(Message m) {
    if (m instanceof Hello h) {
      Bytes b = new Bytes(64).u8(HELLO).u32(h.session()).varint(h.size());
      b.u64(h.checksum0()).u64(h.digestSum());
      for (long w : h.sketch()) {
        b.u64(w);
      }
      return b.toByteArray();
    }
    if (m instanceof Synced s) {
      return new Bytes(8).u8(SYNCED).u32(s.session()).toByteArray();
    }
    if (m instanceof Symbols s) {
      Bytes b = new Bytes(32 + s.count() * 16 + (s.strata() == null ? 0 : STRATA_BYTES));
      b.u8(SYMBOLS).u32(s.session()).varint(s.start()).varint(s.count());
      b.varint(s.size()).u64(s.digestSum()).varint(s.estimate());
      long[] strata = s.strata();
      b.u8(strata == null ? 0 : 1);
      if (strata != null) {
        for (long w : strata) {
          b.u64(w);
        }
      }
      for (int k = 0; k < s.count(); k++) {
        b.u64(s.sum()[k]).u48(s.chk()[k]);
        b.zigzag(s.cnt()[k] - expectedCount(s.size(), s.start() + (long) k));
      }
      return b.toByteArray();
    }
    if (m instanceof More r) {
      return new Bytes(16)
          .u8(MORE)
          .u32(r.session())
          .varint(r.received())
          .varint(r.want())
          .toByteArray();
    }
    if (m instanceof Done d) {
      return new Bytes(24)
          .u8(DONE)
          .u32(d.session())
          .varint(d.received())
          .varint(d.missingHere())
          .varint(d.missingThere())
          .toByteArray();
    }
    Abort a = (Abort) m;
    byte[] text = truncate(a.text());
    return new Bytes(8 + text.length)
        .u8(ABORT)
        .u32(a.session())
        .u8(a.reason())
        .varint(text.length)
        .raw(text)
        .toByteArray();
  }

  private static byte[] truncate(String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    if (t.length <= MAX_ABORT_TEXT) {
      return t;
    }
    return new String(t, 0, MAX_ABORT_TEXT, StandardCharsets.UTF_8)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes one message.
   *
   * @throws WireFormatException saying what is wrong
   */
  public static Message decode(byte[] payload) {
    Bytes.Reader r = new Bytes.Reader(payload);
    int type = r.u8("the message type");
    int session = r.u32("the session number");
    switch (type) {
      case HELLO -> {
        long size = r.varint("the set size");
        long c0 = r.u64("the checksum of symbol 0");
        long ds = r.u64("the digest sum");
        long[] sketch = new long[OddSketch.SMALL_WORDS];
        for (int i = 0; i < sketch.length; i++) {
          sketch[i] = r.u64("the sketch");
        }
        r.end("HELLO");
        return new Hello(session, size, c0, ds, sketch);
      }
      case SYNCED -> {
        r.end("SYNCED");
        return new Synced(session);
      }
      case SYMBOLS -> {
        int start = r.varintInt("the first symbol index", MAX_INDEX);
        int count = r.varintInt("the symbol count", MAX_BATCH);
        long size = r.varint("the set size");
        long ds = r.u64("the digest sum");
        long estimate = r.varint("the difference estimate");
        int flags = r.u8("the flags");
        if ((flags & ~1) != 0) {
          throw new WireFormatException("SYMBOLS has unknown flags " + flags);
        }
        long[] strata = null;
        if ((flags & 1) != 0) {
          strata = new long[OddSketch.WORDS];
          for (int i = 0; i < strata.length; i++) {
            strata[i] = r.u64("the full sketch");
          }
        }
        if (r.remaining() < count * 15L) {
          throw new WireFormatException(
              "SYMBOLS announces "
                  + count
                  + " symbols but has only "
                  + r.remaining()
                  + " bytes left (15 or more a symbol)");
        }
        long[] sum = new long[count];
        long[] chk = new long[count];
        long[] cnt = new long[count];
        for (int k = 0; k < count; k++) {
          sum[k] = r.u64("a symbol's sum");
          chk[k] = r.u48("a symbol's checksum");
          cnt[k] = r.zigzag("a symbol's count") + expectedCount(size, start + (long) k);
        }
        r.end("SYMBOLS");
        return new Symbols(session, start, size, ds, estimate, strata, sum, chk, cnt);
      }
      case MORE -> {
        int received = r.varintInt("the received count", MAX_INDEX);
        int want = r.varintInt("the wanted count", MAX_INDEX);
        r.end("MORE");
        return new More(session, received, want);
      }
      case DONE -> {
        int received = r.varintInt("the received count", MAX_INDEX);
        int here = r.varintInt("the count missing at the initiator", Integer.MAX_VALUE);
        int there = r.varintInt("the count missing at the responder", Integer.MAX_VALUE);
        r.end("DONE");
        return new Done(session, received, here, there);
      }
      case ABORT -> {
        int reason = r.u8("the reason");
        int len = r.varintInt("the text length", MAX_ABORT_TEXT);
        String text = new String(r.raw(len, "the text"), StandardCharsets.UTF_8);
        r.end("ABORT");
        return new Abort(session, reason, text);
      }
      default ->
          throw new WireFormatException(
              "unknown message type 0x"
                  + Integer.toHexString(type)
                  + " (this device speaks inbound protocol version 1: 0x11-0x16)");
    }
  }
}
