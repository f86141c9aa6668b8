package io.twinpath.core.inbound.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.inbound.internal.ReconcileMessages.Abort;
import io.twinpath.core.inbound.internal.ReconcileMessages.Done;
import io.twinpath.core.inbound.internal.ReconcileMessages.Hello;
import io.twinpath.core.inbound.internal.ReconcileMessages.More;
import io.twinpath.core.inbound.internal.ReconcileMessages.Symbols;
import io.twinpath.core.inbound.internal.ReconcileMessages.Synced;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReconcileMessagesTest {
  private static byte[] hex(String s) {
    String h = s.replaceAll("\\s+", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  @Test
  void helloHasTheDocumentedLayout() {
    byte[] b =
        ReconcileMessages.encode(
            new Hello(0x01020304, 300, 0x1122334455667788L, -1L, new long[] {1, 2, 3, 4}));
    byte[] expected =
        hex(
            "11" // type HELLO, protocol version 1
                + "01020304" // session
                + "ac02" // set size 300 as a varint
                + "1122334455667788" // checksum of coded symbol 0
                + "ffffffffffffffff" // digest sum
                + "0000000000000001 0000000000000002" // 256-bit sketch
                + "0000000000000003 0000000000000004");
    assertThat(b).isEqualTo(expected);
    assertThat(b.length).isEqualTo(55);
    Hello back = (Hello) ReconcileMessages.decode(b);
    assertThat(back.size()).isEqualTo(300);
    assertThat(back.sketch()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void syncedIsFiveBytes() {
    byte[] b = ReconcileMessages.encode(new Synced(7));
    assertThat(b).isEqualTo(hex("12 00000007"));
    assertThat(ReconcileMessages.decode(b)).isEqualTo(new Synced(7));
  }

  @Test
  void symbolsCarryCountsAsDeviationsFromTheExpectedCount() {
    // n = 1000: expected counts are 1000 at index 0, 667 at index 1 (2n/(i+2) rounded)
    Symbols s =
        new Symbols(
            9,
            0,
            1000,
            42,
            3,
            null,
            new long[] {0xaaL, 0xbbL},
            new long[] {0x0000_1234_5678_9abcL, 0x1L},
            new long[] {1000, 665});
    byte[] b = ReconcileMessages.encode(s);
    byte[] expected =
        hex(
            "13 00000009" // SYMBOLS, session 9
                + "00" // first index 0
                + "02" // 2 symbols
                + "e807" // set size 1000
                + "000000000000002a" // digest sum 42
                + "03" // difference estimate 3
                + "00" // flags: no full sketch
                + "00000000000000aa 123456789abc 00" // sum, 48-bit checksum, count 1000 - 1000
                + "00000000000000bb 000000000001 03"); // count 665 - 667 = -2, zig-zag 3
    assertThat(b).isEqualTo(expected);
    Symbols back = (Symbols) ReconcileMessages.decode(b);
    assertThat(back.cnt()).containsExactly(1000, 665);
    assertThat(back.chk()).containsExactly(0x123456789abcL, 1L);
    assertThat(back.strata()).isNull();
  }

  @Test
  void symbolsWithTheFullSketchRoundTrip() {
    long[] strata = new long[OddSketch.WORDS];
    Arrays.fill(strata, 0x0102030405060708L);
    Symbols s = new Symbols(1, 5, 3, 0, 0, strata, new long[] {1}, new long[] {2}, new long[] {-4});
    Symbols back = (Symbols) ReconcileMessages.decode(ReconcileMessages.encode(s));
    assertThat(back.strata()).isEqualTo(strata);
    assertThat(back.start()).isEqualTo(5);
    assertThat(back.cnt()).containsExactly(-4);
  }

  @Test
  void theOtherMessagesRoundTrip() {
    assertThat(ReconcileMessages.decode(ReconcileMessages.encode(new More(3, 200, 45))))
        .isEqualTo(new More(3, 200, 45));
    assertThat(ReconcileMessages.decode(ReconcileMessages.encode(new Done(3, 200, 7, 8))))
        .isEqualTo(new Done(3, 200, 7, 8));
    assertThat(
            ReconcileMessages.decode(
                ReconcileMessages.encode(new Abort(3, Abort.SET_CHANGED, "changed"))))
        .isEqualTo(new Abort(3, Abort.SET_CHANGED, "changed"));
  }

  @Test
  void malformedPayloadsAreRejectedWithAReason() {
    assertThatThrownBy(() -> ReconcileMessages.decode(new byte[0]))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("message type");
    assertThatThrownBy(() -> ReconcileMessages.decode(hex("7f 00000001")))
        .hasMessageContaining("unknown message type 0x7f");
    assertThatThrownBy(() -> ReconcileMessages.decode(hex("12 00000001 00")))
        .hasMessageContaining("unexpected bytes");
    // a symbol count far beyond the bytes that follow
    assertThatThrownBy(
            () -> ReconcileMessages.decode(hex("13 00000001 00 8010 01 0000000000000000 00 00")))
        .hasMessageContaining("announces 2048 symbols");
    assertThatThrownBy(() -> ReconcileMessages.decode(hex("13 00000001 00 ffffffff0f")))
        .hasMessageContaining("symbol count");
    // a truncated HELLO
    byte[] hello = ReconcileMessages.encode(new Hello(1, 1, 1, 1, new long[] {0, 0, 0, 0}));
    assertThatThrownBy(() -> ReconcileMessages.decode(Arrays.copyOf(hello, 30)))
        .hasMessageContaining("ends before");
  }
}
