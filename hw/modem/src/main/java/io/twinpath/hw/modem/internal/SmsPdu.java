package io.twinpath.hw.modem.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Encodes SMS-SUBMIT TPDUs (3GPP 23.040) in GSM-7 or UCS-2, split into concatenated parts with a
 * user data header {@code 05 00 03 <ref> <total> <seq>} when the text does not fit in one.
 */
public final class SmsPdu {
  /** GSM 03.38 default alphabet, indexed by septet value. */
  static final String GSM7 =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  /** Extension table: characters sent as ESC (0x1B) + this septet. */
  static final String GSM7_EXT_CHARS = "\f^{}\\[~]|€";

  static final int[] GSM7_EXT_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};

  /** Septets in one unsplit GSM-7 message, and in one part of a concatenated one. */
  public static final int GSM7_SINGLE = 160;

  public static final int GSM7_PART = 153;
  public static final int UCS2_SINGLE = 70;
  public static final int UCS2_PART = 67;

  /** One encoded part: the hex PDU for {@code AT+CMGS} and the length it announces. */
  public record Part(String hex, int tpduLength) {}

  private SmsPdu() {}

  /** The septets for {@code text}, or null when a character is not in GSM-7. */
  public static int @Nullable [] gsm7(String text) {
    int[] out = new int[text.length() * 2];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int basic = c == '\u001b' ? -1 : GSM7.indexOf(c);
      if (basic >= 0) {
        out[n++] = basic;
        continue;
      }
      int ext = GSM7_EXT_CHARS.indexOf(c);
      if (ext < 0) {
        return null;
      }
      out[n++] = 0x1B;
      out[n++] = GSM7_EXT_CODES[ext];
    }
    int[] r = new int[n];
    System.arraycopy(out, 0, r, 0, n);
    return r;
  }

  /** How many parts {@code text} takes. */
  public static int parts(String text) {
    int[] septets = gsm7(text);
    return septets != null ? splitGsm7(septets).size() : splitUcs2(text).size();
  }

  /**
   * Encodes {@code text} to {@code number} as one or more SMS-SUBMIT PDUs with the stored SMSC
   * (leading {@code 00}), relative validity 24 h.
   *
   * @param ref the concatenation reference (0-255) shared by the parts
   */
  public static List<Part> encode(String number, String text, int ref) {
    byte[] address = address(number);
    int[] septets = gsm7(text);
    List<Part> out = new ArrayList<>();
    if (septets != null) {
      List<int[]> chunks = splitGsm7(septets);
      for (int i = 0; i < chunks.size(); i++) {
        byte[] udh = chunks.size() > 1 ? udh(ref, chunks.size(), i + 1) : null;
        out.add(
            part(
                address,
                0x00,
                packGsm7(chunks.get(i), udh),
                udl7(chunks.get(i), udh),
                udh != null));
      }
    } else {
      List<String> chunks = splitUcs2(text);
      for (int i = 0; i < chunks.size(); i++) {
        byte[] udh = chunks.size() > 1 ? udh(ref, chunks.size(), i + 1) : null;
        ByteArrayOutputStream ud = new ByteArrayOutputStream();
        if (udh != null) {
          ud.writeBytes(udh);
        }
        ud.writeBytes(chunks.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
        byte[] data = ud.toByteArray();
        out.add(part(address, 0x08, data, data.length, udh != null));
      }
    }
    return out;
  }

  private static Part part(byte[] address, int dcs, byte[] userData, int udl, boolean udhi) {
    ByteArrayOutputStream tpdu = new ByteArrayOutputStream();
    tpdu.write(0x00); // SMSC: length 0 = use the one stored in the modem
    tpdu.write(0x11 | (udhi ? 0x40 : 0)); // SMS-SUBMIT, VPF relative, UDHI when split
    tpdu.write(0x00); // TP-MR: the modem assigns it
    tpdu.writeBytes(address); // TP-DA
    tpdu.write(0x00); // TP-PID: plain SMS
    tpdu.write(dcs); // TP-DCS: 00 GSM-7, 08 UCS-2
    tpdu.write(0xA7); // TP-VP: relative, 24 hours
    tpdu.write(udl); // TP-UDL: septets (GSM-7) or octets (UCS-2), header included
    tpdu.writeBytes(userData); // TP-UD
    byte[] b = tpdu.toByteArray();
    return new Part(HexFormat.of().withUpperCase().formatHex(b), b.length - 1);
  }

  /** TP-DA: digit count, type (91 international, 81 unknown), semi-octets swapped, F-padded. */
  static byte[] address(String number) {
    if (!number.matches("\\+?[0-9]{1,20}")) {
      throw new IllegalArgumentException(
          "SMS number '" + number + "' is not accepted; use digits with an optional leading +");
    }
    boolean international = number.startsWith("+");
    String digits = international ? number.substring(1) : number;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(digits.length());
    out.write(international ? 0x91 : 0x81);
    for (int i = 0; i < digits.length(); i += 2) {
      int lo = digits.charAt(i) - '0';
      int hi = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' : 0xF;
      out.write((hi << 4) | lo);
    }
    return out.toByteArray();
  }

  /** Concatenation header: IEI 00 (8-bit reference), length 3, ref, total, seq. */
  static byte[] udh(int ref, int total, int seq) {
    return new byte[] {0x05, 0x00, 0x03, (byte) ref, (byte) total, (byte) seq};
  }

  /** Packs septets LSB first, after the header and the fill bits that align to a septet. */
  static byte[] packGsm7(int[] septets, byte @Nullable [] udh) {
    int headerBits = udh == null ? 0 : udh.length * 8;
    int start = udh == null ? 0 : ((headerBits + 6) / 7) * 7; // header plus fill bits
    int totalBits = start + septets.length * 7;
    byte[] out = new byte[(totalBits + 7) / 8];
    if (udh != null) {
      System.arraycopy(udh, 0, out, 0, udh.length);
    }
    for (int i = 0; i < septets.length; i++) {
      int bit = start + i * 7;
      int v = septets[i] & 0x7F;
      out[bit / 8] |= (byte) (v << (bit % 8));
      if (bit % 8 > 1) {
        out[bit / 8 + 1] |= (byte) (v >> (8 - bit % 8));
      }
    }
    return out;
  }

  /** TP-UDL for GSM-7: septets of text plus the septets the header (and fill) take. */
  static int udl7(int[] septets, byte @Nullable [] udh) {
    return udh == null ? septets.length : (udh.length * 8 + 6) / 7 + septets.length;
  }

  static List<int[]> splitGsm7(int[] septets) {
    List<int[]> parts = new ArrayList<>();
    if (septets.length <= GSM7_SINGLE) {
      parts.add(septets);
      return parts;
    }
    int i = 0;
    while (i < septets.length) {
      int end = Math.min(septets.length, i + GSM7_PART);
      if (end < septets.length && septets[end - 1] == 0x1B && !escapeComplete(septets, i, end)) {
        end--; // never split an escape from its character
      }
      int[] p = new int[end - i];
      System.arraycopy(septets, i, p, 0, p.length);
      parts.add(p);
      i = end;
    }
    return parts;
  }

  private static boolean escapeComplete(int[] s, int from, int end) {
    boolean pending = false;
    for (int k = from; k < end; k++) {
      pending = !pending && s[k] == 0x1B;
    }
    return !pending;
  }

  static List<String> splitUcs2(String text) {
    List<String> parts = new ArrayList<>();
    if (text.length() <= UCS2_SINGLE) {
      parts.add(text);
      return parts;
    }
    int i = 0;
    while (i < text.length()) {
      int end = Math.min(text.length(), i + UCS2_PART);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      parts.add(text.substring(i, end));
      i = end;
    }
    return parts;
  }
}
