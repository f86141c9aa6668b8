package io.twinpath.modemsim.internal;

/** The GSM 03.38 default alphabet and its extension table, for decoding. */
final class Gsm7 {
  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  private Gsm7() {}

  /** Decodes unpacked septets (one a byte), handling the 0x1B escape. */
  static String decodeSeptets(int[] septets) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < septets.length; i++) {
      int s = septets[i] & 0x7F;
      if (s == 0x1B && i + 1 < septets.length) {
        sb.append(extension(septets[++i] & 0x7F));
      } else {
        sb.append(BASIC.charAt(s));
      }
    }
    return sb.toString();
  }

  private static char extension(int s) {
    return switch (s) {
      case 0x0A -> '\f';
      case 0x14 -> '^';
      case 0x28 -> '{';
      case 0x29 -> '}';
      case 0x2F -> '\\';
      case 0x3C -> '[';
      case 0x3D -> '~';
      case 0x3E -> ']';
      case 0x40 -> '|';
      case 0x65 -> '€';
      default -> ' ';
    };
  }

  /**
   * Unpacks {@code count} septets from {@code data} starting at bit {@code bitOffset} (fill bits
   * after a user-data header).
   */
  static int[] unpack(byte[] data, int offset, int count, int bitOffset) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      int bit = bitOffset + i * 7;
      int idx = offset + bit / 8;
      int shift = bit % 8;
      int v = (data[idx] & 0xFF) >> shift;
      if (shift > 1 && idx + 1 < data.length) {
        v |= (data[idx + 1] & 0xFF) << (8 - shift);
      }
      out[i] = v & 0x7F;
    }
    return out;
  }
}
