package io.twinpath.host.internal.submit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Reads at most {@code limit} bytes, then fails with {@link TooLargeException}. */
public final class LimitedInputStream extends FilterInputStream {
  /** Thrown when the stream is longer than the limit. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(long limit) {
      super("the message is larger than the size limit of " + limit + " bytes");
    }

    /** Names the limit; never null. */
    @Override
    public String getMessage() {
      return Objects.requireNonNull(super.getMessage(), "message");
    }
  }

  private final long limit;
  private long count;

  public LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int c = super.read();
    if (c >= 0 && ++count > limit) {
      throw new TooLargeException(limit);
    }
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count += n;
      if (count > limit) {
        throw new TooLargeException(limit);
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(0, n))];
    int r = read(buf, 0, buf.length);
    return Math.max(r, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }
}
