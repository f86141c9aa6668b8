package io.twinpath.hw.modem;

import io.twinpath.hw.modem.internal.AtEngine.Exchange;
import io.twinpath.hw.modem.internal.AtReply;
import io.twinpath.hw.modem.internal.Common;
import io.twinpath.hw.modem.internal.SmsPdu;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends SMS through the modem. PDU mode (the default) handles GSM-7 and UCS-2 text of any length as
 * concatenated parts (153 GSM-7 or 67 UCS-2 characters a part); text mode sends single-part
 * messages only.
 */
public final class SmsSender {
  /** How messages are handed to the modem. */
  public enum Mode {
    /** {@code AT+CMGF=1}: the modem builds the PDU; one part only. */
    TEXT,
    /** {@code AT+CMGF=0}: the driver builds the PDUs; long and Unicode texts. */
    PDU
  }

  private final Modem modem;
  private final AtomicInteger ref = new AtomicInteger((int) (System.nanoTime() & 0xff));

  SmsSender(Modem modem) {
    this.modem = modem;
  }

  /** Sends in PDU mode; returns the message references the network gave, one per part. */
  public List<Integer> send(String number, String text) throws IOException {
    return send(number, text, Mode.PDU);
  }

  /**
   * Sends {@code text} to {@code number} ({@code +} and digits).
   *
   * @return the message references ({@code +CMGS}), one per part
   * @throws IllegalArgumentException for a bad number, or text mode with a text that needs more
   *     than one part
   */
  public List<Integer> send(String number, String text, Mode mode) throws IOException {
    if (!number.matches("\\+?[0-9]{1,20}")) {
      throw new IllegalArgumentException(
          "SMS number '" + number + "' is not accepted; use digits with an optional leading +");
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("SMS text is empty");
    }
    return mode == Mode.PDU ? sendPdu(number, text) : sendText(number, text);
  }

  private List<Integer> sendPdu(String number, String text) throws IOException {
    List<SmsPdu.Part> parts = SmsPdu.encode(number, text, ref.getAndIncrement() & 0xff);
    List<Integer> refs = new ArrayList<>();
    try (Exchange ex = modem.acquire()) {
      ex.run(Common.SMS_PDU_MODE, Map.of());
      for (SmsPdu.Part p : parts) {
        AtReply r =
            ex.run(
                Common.SEND_PDU,
                Map.of("length", "" + p.tpduLength()),
                p.hex().getBytes(StandardCharsets.US_ASCII));
        refs.add(messageRef(r));
      }
    }
    return refs;
  }

  private List<Integer> sendText(String number, String text) throws IOException {
    boolean plain = plainAscii(text);
    int limit = plain ? SmsPdu.GSM7_SINGLE : SmsPdu.UCS2_SINGLE;
    if (text.length() > limit) {
      throw new IllegalArgumentException(
          "text mode sends one part of at most "
              + limit
              + " characters; this text has "
              + text.length()
              + " (use PDU mode)");
    }
    byte[] body =
        plain
            ? text.getBytes(StandardCharsets.US_ASCII)
            : HexFormat.of()
                .withUpperCase()
                .formatHex(text.getBytes(StandardCharsets.UTF_16BE))
                .getBytes(StandardCharsets.US_ASCII);
    try (Exchange ex = modem.acquire()) {
      ex.run(Common.SMS_TEXT_MODE, Map.of());
      ex.run(Common.CHARSET, Map.of("charset", plain ? "GSM" : "HEX"));
      ex.run(Common.TEXT_PARAMS, Map.of("dcs", plain ? "0" : "8"));
      AtReply r = ex.run(Common.SEND_TEXT, Map.of("number", number), body);
      return List.of(messageRef(r));
    }
  }

  /** Printable ASCII whose GSM-7 codes equal ASCII (so text mode with CSCS="GSM" is exact). */
  static boolean plainAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 0x20 && c <= 0x7e && "$@[\\]^_`{|}~".indexOf(c) < 0) || c == '\n';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static int messageRef(AtReply r) {
    return r.find("\\+CMGS: ?(\\d+).*").map(m -> Integer.parseInt(m.group(1))).orElse(-1);
  }
}
