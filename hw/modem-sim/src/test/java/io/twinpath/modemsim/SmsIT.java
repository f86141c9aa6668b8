package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SMS in text and PDU mode, recorded on the simulator side. */
class SmsIT {
  private static final String PROMPT = "\r\n> ";

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void textModeSendsAbortsAndRecords(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      AtClient at = h.at;
      List<SentSms> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
      h.sim.onSmsSent(heard::add);
      assertThat(at.send("AT+CMGF=1")).isEqualTo("\r\nOK\r\n");
      assertThat(at.send("AT+CSCS=\"GSM\"")).isEqualTo("\r\nOK\r\n");
      at.write("AT+CMGS=\"+491701234567\"\r");
      assertThat(at.expectText(PROMPT)).isEqualTo(PROMPT);
      at.write("Hello world\u001A");
      assertThat(at.expect(AtClient.FINAL)).isEqualTo("\r\n+CMGS: 0\r\n\r\nOK\r\n");
      // ESC aborts: OK, nothing sent
      at.write("AT+CMGS=\"+491701234567\"\r");
      at.expectText(PROMPT);
      at.write("never mind\u001B");
      assertThat(at.expect(AtClient.FINAL)).isEqualTo("\r\nOK\r\n");
      // UCS-2 as hex with DCS 8
      at.send("AT+CSCS=\"HEX\"");
      at.send("AT+CSMP=17,167,0,8");
      at.write("AT+CMGS=\"+491701234567\"\r");
      at.expectText(PROMPT);
      at.write(hexUtf16("Grüße €") + "\u001A");
      assertThat(at.expect(AtClient.FINAL)).isEqualTo("\r\n+CMGS: 1\r\n\r\nOK\r\n");
      // 161 GSM characters do not fit one text-mode message
      at.send("AT+CSCS=\"GSM\"");
      at.send("AT+CSMP=17,167,0,0");
      at.send("AT+CMEE=1");
      at.write("AT+CMGS=\"+491701234567\"\r");
      at.expectText(PROMPT);
      at.write("x".repeat(161) + "\u001A");
      assertThat(at.expect(AtClient.FINAL)).isEqualTo("\r\n+CMS ERROR: 305\r\n");

      List<SentSms> sent = h.sim.sentSms();
      assertThat(sent).hasSize(2);
      assertThat(sent.get(0).number()).isEqualTo("+491701234567");
      assertThat(sent.get(0).text()).isEqualTo("Hello world");
      assertThat(sent.get(0).pduMode()).isFalse();
      assertThat(sent.get(0).encoding()).isEqualTo("GSM7");
      assertThat(sent.get(1).text()).isEqualTo("Grüße €");
      assertThat(sent.get(1).encoding()).isEqualTo("UCS2");
      assertThat(sent.get(1).messageReference()).isEqualTo(1);
      assertThat(heard).isEqualTo(sent);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void pduModeDecodesAndRecordsTheRawPdu(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      AtClient at = h.at;
      assertThat(at.send("AT+CMGF=0")).isEqualTo("\r\nOK\r\n");
      String tpdu =
          "11" // SMS-SUBMIT, VPF relative
              + "00" // TP-MR
              + "0B91" // 11 digits, international
              + "4421436587F9" // 44123456789, nibbles swapped, F fill
              + "00" // TP-PID
              + "00" // TP-DCS: GSM 7-bit
              + "AA" // TP-VP: 4 days
              + "05" // TP-UDL: 5 septets
              + "E8329BFD06"; // "hello" packed
      at.write("AT+CMGS=19\r");
      assertThat(at.expectText(PROMPT)).isEqualTo(PROMPT);
      at.write("00" + tpdu + "\u001A"); // 00: the SMSC stored in the modem
      assertThat(at.expect(AtClient.FINAL)).isEqualTo("\r\n+CMGS: 0\r\n\r\nOK\r\n");

      // a length that does not match the TPDU
      at.send("AT+CMEE=1");
      at.write("AT+CMGS=18\r");
      at.expectText(PROMPT);
      at.write("00" + tpdu + "\u001A");
      assertThat(at.expect(AtClient.FINAL)).isEqualTo("\r\n+CMS ERROR: 304\r\n");

      // two UCS-2 parts with an 8-bit reference concatenation header
      String head = "51000B914421436587F90008AA0A0500032A02";
      sendPdu(at, head + "01" + "00480069"); // "Hi"
      sendPdu(at, head + "02" + "00210021"); // "!!"

      // GSM 7-bit with a header: one fill bit before the text
      byte[] udh = HexFormat.of().parseHex("05000307" + "0101");
      String text = "part one";
      byte[] packed = packSeptets(text, 1);
      String ud = HexFormat.of().formatHex(udh) + HexFormat.of().formatHex(packed);
      sendPdu(at, "51000B914421436587F90000AA" + String.format("%02X", 7 + text.length()) + ud);

      List<SentSms> sent = h.sim.sentSms();
      assertThat(sent).hasSize(4);
      SentSms first = sent.get(0);
      assertThat(first.number()).isEqualTo("+44123456789");
      assertThat(first.text()).isEqualTo("hello");
      assertThat(first.pdu()).isEqualTo(tpdu);
      assertThat(first.concatenated()).isFalse();
      assertThat(sent.get(1).concatReference()).isEqualTo(0x2A);
      assertThat(sent.get(1).partCount()).isEqualTo(2);
      assertThat(sent.get(2).partNumber()).isEqualTo(2);
      assertThat(sent.get(3).text()).isEqualTo("part one");
      assertThat(sent.get(3).partCount()).isEqualTo(1);
      assertThat(h.sim.sentTexts()).containsExactly("hello", "Hi!!", "part one");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void smsNeedsRegistrationButNotData(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      AtClient at = h.at;
      at.send("AT+CMGF=1");
      h.sim.loseRegistration();
      // +CMS ERROR stays on with CMEE=0, numeric; CMEE=2 makes it verbose
      assertThat(at.send("AT+CMGS=\"+4917000\"")).isEqualTo("\r\n+CMS ERROR: 331\r\n");
      at.send("AT+CMEE=2");
      assertThat(at.send("AT+CMGS=\"+4917000\""))
          .isEqualTo("\r\n+CMS ERROR: no network service\r\n");
      at.send("AT+CMEE=1");
      h.sim.setRegistration(RegistrationState.HOME);
      h.sim.setDataService(false);
      if (dialect == Dialect.SIM7600) {
        at.send("AT+NETOPEN");
        assertThat(at.expect("\\+NETOPEN: \\d\r\n")).endsWith("+NETOPEN: 1\r\n");
      } else {
        assertThat(at.send("AT+QIACT=1")).isEqualTo("\r\nERROR\r\n");
      }
      at.write("AT+CMGS=\"+4917000\"\r");
      at.expectText(PROMPT);
      at.write("data is down\u001A");
      assertThat(at.expect(AtClient.FINAL)).contains("+CMGS: ");
      assertThat(h.sim.sentTexts()).containsExactly("data is down");
      h.sim.setSimInserted(false);
      assertThat(at.send("AT+CMGS=\"+4917000\"")).isEqualTo("\r\n+CMS ERROR: 310\r\n");
    }
  }

  private static void sendPdu(AtClient at, String tpdu) {
    at.write("AT+CMGS=" + tpdu.length() / 2 + "\r");
    at.expectText(PROMPT);
    at.write("00" + tpdu + "\u001A");
    assertThat(at.expect(AtClient.FINAL)).startsWith("\r\n+CMGS: ").endsWith("\r\nOK\r\n");
  }

  private static String hexUtf16(String s) {
    return HexFormat.of().withUpperCase().formatHex(s.getBytes(StandardCharsets.UTF_16BE));
  }

  /** Packs ASCII-range GSM characters as septets after {@code fillBits} zero bits. */
  private static byte[] packSeptets(String text, int fillBits) {
    int bits = fillBits + 7 * text.length();
    byte[] out = new byte[(bits + 7) / 8];
    for (int i = 0; i < text.length(); i++) {
      int v = text.charAt(i) & 0x7F;
      for (int b = 0; b < 7; b++) {
        if ((v >> b & 1) != 0) {
          int bit = fillBits + 7 * i + b;
          out[bit / 8] |= (byte) (1 << (bit % 8));
        }
      }
    }
    return out;
  }
}
