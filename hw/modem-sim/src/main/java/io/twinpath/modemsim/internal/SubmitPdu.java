package io.twinpath.modemsim.internal;

import java.nio.charset.StandardCharsets;

/**
 * A decoded SMS-SUBMIT TPDU (3GPP 23.040): destination, coding, concatenation header and text.
 *
 * @param concatRef -1 when there is no concatenation header
 */
record SubmitPdu(String number, String encoding, String text, int concatRef, int parts, int part) {

  /**
   * Decodes {@code tpdu} (SMSC part already removed).
   *
   * @throws IllegalArgumentException with the reason when the PDU is malformed
   */
  static SubmitPdu decode(byte[] tpdu) {
    try {
      return decodeUnchecked(tpdu);
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("the PDU ends early", e);
    }
  }

  private static SubmitPdu decodeUnchecked(byte[] p) {
    int i = 0;
    int first = p[i++] & 0xFF;
    if ((first & 0x03) != 0x01) {
      throw new IllegalArgumentException("not an SMS-SUBMIT (first octet " + hex(first) + ")");
    }
    boolean udhi = (first & 0x40) != 0;
    int vpf = (first >> 3) & 0x03;
    i++; // TP-MR
    int digits = p[i++] & 0xFF;
    int toa = p[i++] & 0xFF;
    int addrOctets = (digits + 1) / 2;
    StringBuilder number = new StringBuilder();
    if ((toa & 0x70) == 0x50) {
      int septets = digits * 4 / 7;
      number.append(Gsm7.decodeSeptets(Gsm7.unpack(p, i, septets, 0)));
    } else {
      if ((toa & 0x70) == 0x10) {
        number.append('+');
      }
      for (int k = 0; k < addrOctets; k++) {
        int b = p[i + k] & 0xFF;
        number.append(bcd(b & 0x0F));
        if (number.length() < digits + (number.charAt(0) == '+' ? 1 : 0)) {
          number.append(bcd(b >> 4));
        }
      }
    }
    i += addrOctets;
    i++; // TP-PID
    int dcs = p[i++] & 0xFF;
    i += vpf == 2 ? 1 : vpf == 0 ? 0 : 7;
    int udl = p[i++] & 0xFF;
    String encoding = encoding(dcs);
    int udhLen = 0;
    int ref = -1;
    int parts = 1;
    int part = 1;
    if (udhi) {
      udhLen = (p[i] & 0xFF) + 1;
      int j = i + 1;
      while (j < i + udhLen) {
        int iei = p[j] & 0xFF;
        int len = p[j + 1] & 0xFF;
        if (iei == 0x00 && len == 3) {
          ref = p[j + 2] & 0xFF;
          parts = p[j + 3] & 0xFF;
          part = p[j + 4] & 0xFF;
        } else if (iei == 0x08 && len == 4) {
          ref = ((p[j + 2] & 0xFF) << 8) | (p[j + 3] & 0xFF);
          parts = p[j + 4] & 0xFF;
          part = p[j + 5] & 0xFF;
        }
        j += 2 + len;
      }
    }
    String text;
    switch (encoding) {
      case "GSM7" -> {
        int headerSeptets = (udhLen * 8 + 6) / 7;
        int count = udl - headerSeptets;
        if (count < 0) {
          throw new IllegalArgumentException("UDL " + udl + " is shorter than the header");
        }
        int fill = headerSeptets * 7 - udhLen * 8;
        int needed = (udl * 7 + 7) / 8;
        if (i + needed > p.length) {
          throw new IllegalArgumentException("UDL " + udl + " septets exceed the PDU");
        }
        text = Gsm7.decodeSeptets(Gsm7.unpack(p, i + udhLen, count, fill));
      }
      case "UCS2" -> {
        if (i + udl > p.length) {
          throw new IllegalArgumentException("UDL " + udl + " octets exceed the PDU");
        }
        text = new String(p, i + udhLen, udl - udhLen, StandardCharsets.UTF_16BE);
      }
      default -> {
        if (i + udl > p.length) {
          throw new IllegalArgumentException("UDL " + udl + " octets exceed the PDU");
        }
        text = new String(p, i + udhLen, udl - udhLen, StandardCharsets.ISO_8859_1);
      }
    }
    return new SubmitPdu(number.toString(), encoding, text, ref, parts, part);
  }

  /** The alphabet of a TP-DCS value (general data coding group). */
  static String encoding(int dcs) {
    if ((dcs & 0xC0) == 0x00) {
      int alphabet = (dcs >> 2) & 0x03;
      return alphabet == 2 ? "UCS2" : alphabet == 1 ? "8BIT" : "GSM7";
    }
    if ((dcs & 0xF0) == 0xF0) {
      return (dcs & 0x04) != 0 ? "8BIT" : "GSM7";
    }
    return "GSM7";
  }

  private static char bcd(int nibble) {
    return switch (nibble) {
      case 0x0A -> '*';
      case 0x0B -> '#';
      case 0x0F -> ' ';
      default -> (char) ('0' + nibble);
    };
  }

  private static String hex(int b) {
    return String.format("%02X", b);
  }
}
