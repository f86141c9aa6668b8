package io.twinpath.core.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The short fingerprint a person compares on both devices when pairing: the first 10 bytes of the
 * SHA-256 of the encoded public key, in RFC 4648 base32 (16 characters), in four groups of four,
 * e.g. {@code MZXW-6YTB-OI2D-KNRX}.
 */
public final class Fingerprint {
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private Fingerprint() {}

  /** The fingerprint of an X.509 (SubjectPublicKeyInfo) encoded public key. */
  public static String of(byte[] encodedPublicKey) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(encodedPublicKey);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
    // 10 bytes = 80 bits = 16 base32 characters, no padding
    StringBuilder out = new StringBuilder(19);
    long buffer = 0;
    int bits = 0;
    int written = 0;
    for (int i = 0; i < 10; i++) {
      buffer = (buffer << 8) | (digest[i] & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        if (written > 0 && written % 4 == 0) {
          out.append('-');
        }
        out.append(BASE32[(int) ((buffer >>> bits) & 31)]);
        written++;
      }
    }
    return out.toString();
  }
}
