package io.twinpath.modemsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SubmitPduTest {
  private static SubmitPdu decode(String hex) {
    return SubmitPdu.decode(HexFormat.of().parseHex(hex));
  }

  @Test
  void gsm7WithoutHeader() {
    SubmitPdu p =
        decode(
            "01" // SMS-SUBMIT, no validity period
                + "2A" // TP-MR
                + "0A81" // 10 digits, national
                + "1032547698" // 0123456789
                + "00" // TP-PID
                + "00" // TP-DCS: GSM 7-bit
                + "05" // TP-UDL: 5 septets
                + "E8329BFD06"); // "hello"
    assertThat(p.number()).isEqualTo("0123456789");
    assertThat(p.encoding()).isEqualTo("GSM7");
    assertThat(p.text()).isEqualTo("hello");
    assertThat(p.concatRef()).isEqualTo(-1);
  }

  @Test
  void gsm7ExtensionCharactersAndOddDigitCount() {
    SubmitPdu p =
        decode(
            "11" // SMS-SUBMIT, relative validity
                + "00" // TP-MR
                + "0391" // 3 digits, international
                + "21F3" // 123, F fill
                + "00" // TP-PID
                + "00" // TP-DCS
                + "A7" // TP-VP
                + "02" // TP-UDL: 2 septets (escape + 0x65)
                + "9B32"); // 0x1B, 0x65: the euro sign
    assertThat(p.number()).isEqualTo("+123");
    assertThat(p.text()).isEqualTo("€");
  }

  @Test
  void ucs2With16BitConcatenationReference() {
    SubmitPdu p =
        decode(
            "51" // SMS-SUBMIT, UDHI, relative validity
                + "00"
                + "0391"
                + "21F3"
                + "00"
                + "08" // UCS-2
                + "A7"
                + "0B" // UDL: 7 header octets + 4 text octets
                + "06080412340302" // UDH: IEI 08, ref 0x1234, 3 parts, part 2
                + "00E4" // ä
                + "20AC"); // €
    assertThat(p.encoding()).isEqualTo("UCS2");
    assertThat(p.text()).isEqualTo("ä€");
    assertThat(p.concatRef()).isEqualTo(0x1234);
    assertThat(p.parts()).isEqualTo(3);
    assertThat(p.part()).isEqualTo(2);
  }

  @Test
  void malformedPdusAreRejectedWithAReason() {
    assertThatThrownBy(() -> decode("00000391")).hasMessageContaining("not an SMS-SUBMIT");
    assertThatThrownBy(() -> decode("0100039121F3000009E832")).hasMessageContaining("exceed");
    assertThatThrownBy(() -> decode("01000391")).hasMessageContaining("ends early");
  }
}
