package io.twinpath.core.inbound.internal;

import io.twinpath.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Small file helpers of the inbound store: forcing a directory, SHA-256 in hex. */
public final class StoreFiles {
  private StoreFiles() {}

  public static void forceDir(Path d) throws IOException {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  public static String sha256(InputStream in) throws IOException {
    return Sha256.hex(in);
  }

  public static String sha256(byte[] b) {
    return Sha256.hex(b);
  }
}
