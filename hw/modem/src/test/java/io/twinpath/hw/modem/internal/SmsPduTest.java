package io.twinpath.hw.modem.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmsPduTest {
  @Test
  void packsTheClassicHelloHello() {
    // "hellohello": 10 septets in 9 octets
    assertThat(
            HexFormat.of()
                .withUpperCase()
                .formatHex(SmsPdu.packGsm7(SmsPdu.gsm7("hellohello"), null)))
        .isEqualTo("E8329BFD4697D9EC37");
  }

  @Test
  void singleGsm7Message() {
    List<SmsPdu.Part> parts = SmsPdu.encode("+46708251358", "hellohello", 0);
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).hex())
        .isEqualTo(
            "00" // SMSC: the modem's stored one
                + "11" // SMS-SUBMIT, validity period relative, no UDHI
                + "00" // TP-MR: assigned by the modem
                + "0B" // TP-DA: 11 digits
                + "91" // international number
                + "6407281553F8" // 46708251358, semi-octets swapped, F pad
                + "00" // TP-PID
                + "00" // TP-DCS: GSM-7
                + "A7" // TP-VP: 24 hours
                + "0A" // TP-UDL: 10 septets
                + "E8329BFD4697D9EC37"); // TP-UD
    assertThat(parts.get(0).tpduLength()).isEqualTo(23); // everything after the SMSC octet
  }

  @Test
  void ucs2Message() {
    List<SmsPdu.Part> parts = SmsPdu.encode("12345", "Привет", 0);
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).hex())
        .isEqualTo(
            "00" // SMSC
                + "11" // SMS-SUBMIT, VP relative
                + "00" // TP-MR
                + "05" // 5 digits
                + "81" // unknown/national numbering
                + "2143F5" // 12345 swapped, F pad
                + "00" // TP-PID
                + "08" // TP-DCS: UCS-2
                + "A7" // TP-VP
                + "0C" // TP-UDL: 12 octets
                + "041F04400438043204350442"); // UTF-16BE
  }

  @Test
  void longGsm7TextSplitsIn153SeptetPartsWithHeaderAndFillBit() {
    String text = "a".repeat(400);
    List<SmsPdu.Part> parts = SmsPdu.encode("+1", text, 0x42);
    assertThat(parts).hasSize(3); // ceil(400 / 153)
    assertThat(SmsPdu.parts(text)).isEqualTo(3);
    String first = parts.get(0).hex();
    assertThat(first.substring(0, 2 * 4))
        .isEqualTo(
            "00" // SMSC
                + "51" // SMS-SUBMIT, VP relative, UDHI
                + "00" // TP-MR
                + "01"); // 1 digit
    // after DA (91 1F), PID 00, DCS 00, VP A7: UDL = 7 header septets + 153
    int udlAt = 2 * (4 + 2 + 3);
    assertThat(first.substring(udlAt, udlAt + 2)).isEqualTo(String.format("%02X", 7 + 153));
    assertThat(first.substring(udlAt + 2, udlAt + 14))
        .isEqualTo("050003420301"); // IEI 00 len 3, ref 0x42, 3 parts, part 1
    // 'a' = 0x61 shifted by the one fill bit: the first text octet is 0x61 << 1 = 0xC2
    assertThat(first.substring(udlAt + 14, udlAt + 16)).isEqualTo("C2");
    assertThat(parts.get(2).hex()).contains("050003420303");
    int lastUdl = Integer.parseInt(parts.get(2).hex().substring(udlAt, udlAt + 2), 16);
    assertThat(lastUdl).isEqualTo(7 + 400 - 2 * 153);
  }

  @Test
  void longUnicodeSplitsIn67CharacterParts() {
    String text = "é€Ж".repeat(50); // 150 chars, Ж forces UCS-2
    assertThat(SmsPdu.parts(text)).isEqualTo(3); // ceil(150 / 67)
    List<SmsPdu.Part> parts = SmsPdu.encode("+1", text, 7);
    assertThat(parts.get(0).hex()).contains("0008A7" + String.format("%02X", 6 + 67 * 2));
  }

  @Test
  void limitsOfSinglePartMessages() {
    assertThat(SmsPdu.parts("x".repeat(160))).isEqualTo(1);
    assertThat(SmsPdu.parts("x".repeat(161))).isEqualTo(2);
    assertThat(SmsPdu.parts("Ж".repeat(70))).isEqualTo(1);
    assertThat(SmsPdu.parts("Ж".repeat(71))).isEqualTo(2);
    // extension characters take two septets and are never split from their escape
    assertThat(SmsPdu.parts("€".repeat(80))).isEqualTo(1);
    assertThat(SmsPdu.parts("€".repeat(81))).isEqualTo(2);
  }

  @Test
  void rejectsBadNumbers() {
    assertThatThrownBy(() -> SmsPdu.encode("+12ab", "x", 0)).hasMessageContaining("'+12ab'");
  }
}
