package io.twinpath.core.spool.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Passes bytes through and, when the end is reached, checks their count and SHA-256; a mismatch
 * fails that last read, so a reader that copies until the end never finishes with damaged bytes.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final String what;
  private final long size;
  private final String sha256;
  private final MessageDigest digest = FileSpool.sha256();
  private long count;
  private boolean checked;

  VerifyingInputStream(InputStream in, String what, long size, String sha256) {
    super(in);
    this.what = what;
    this.size = size;
    this.sha256 = sha256;
  }

  @Override
  public int read() throws IOException {
    int c = in.read();
    if (c < 0) {
      check();
    } else {
      digest.update((byte) c);
      count++;
    }
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      check();
    } else {
      digest.update(b, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skipping is not supported: every byte is verified");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void check() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    if (count != size) {
      throw new IOException(
          what + " has " + count + " bytes on disk, " + size + " were stored: the file is damaged");
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(sha256)) {
      throw new IOException(
          what + " does not match its SHA-256 (" + actual + " != " + sha256 + "): damaged on disk");
    }
  }
}
