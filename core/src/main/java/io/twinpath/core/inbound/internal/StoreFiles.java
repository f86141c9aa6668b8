package io.twinpath.core.inbound.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small file helpers of the inbound store: forcing a directory, SHA-256 in hex. */
public final class StoreFiles {
  private StoreFiles() {}

  public static void forceDir(Path d) throws IOException {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  public static String sha256(InputStream in) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[64 * 1024];
    int r;
    while ((r = in.read(buf)) > 0) {
      md.update(buf, 0, r);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static String sha256(byte[] b) {
    try {
      return sha256(new java.io.ByteArrayInputStream(b));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
