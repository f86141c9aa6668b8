package io.twinpath.core;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex, the form spool entries, inbound ids and commands carry. */
public final class Sha256 {
  private Sha256() {}

  /** A fresh SHA-256 digest (every Java runtime has one). */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The digest of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** The digest of what {@code in} holds, read to its end. */
  public static String hex(InputStream in) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[64 * 1024];
    int r;
    while ((r = in.read(buf)) > 0) {
      md.update(buf, 0, r);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
