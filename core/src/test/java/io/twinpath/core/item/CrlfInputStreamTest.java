package io.twinpath.core.item;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.item.internal.CrlfInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming CRLF normaliser against a one-line reference, on random input and read sizes. */
class CrlfInputStreamTest {
  /** The rule, written plainly: CRLF stays, a bare CR or LF becomes CRLF, a last line gets one. */
  static byte[] reference(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < in.length; i++) {
      byte c = in[i];
      if (c == '\r') {
        out.write('\r');
        out.write('\n');
        if (i + 1 < in.length && in[i + 1] == '\n') {
          i++;
        }
      } else if (c == '\n') {
        out.write('\r');
        out.write('\n');
      } else {
        out.write(c);
      }
    }
    byte[] b = out.toByteArray();
    if (b.length > 0 && b[b.length - 1] != '\n') {
      out.write('\r');
      out.write('\n');
    }
    return out.toByteArray();
  }

  @Test
  void matchesTheReferenceOnRandomInputAndRandomReadSizes() throws IOException {
    Random random = new Random(20261126);
    byte[] alphabet = {'\r', '\n', 'a', '.', (byte) 0xc3, (byte) 0xa9, ' ', 0};
    for (int round = 0; round < 2000; round++) {
      byte[] in = new byte[random.nextInt(300)];
      for (int i = 0; i < in.length; i++) {
        in[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int chunk = 1 + random.nextInt(17);
      InputStream source = new Trickle(in, 1 + random.nextInt(9));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream s = new CrlfInputStream(source)) {
        byte[] buf = new byte[chunk];
        int n;
        while ((n = s.read(buf, 0, random.nextBoolean() ? chunk : 1)) >= 0) {
          out.write(buf, 0, n);
        }
      }
      assertThat(out.toByteArray()).as("round %d", round).isEqualTo(reference(in));
    }
  }

  @Test
  void singleByteReadsWork() throws IOException {
    InputStream s = new CrlfInputStream(new ByteArrayInputStream("a\nb".getBytes()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int c;
    while ((c = s.read()) >= 0) {
      out.write(c);
    }
    assertThat(out.toString()).isEqualTo("a\r\nb\r\n");
  }

  /** Serves at most {@code max} bytes per read. */
  private static final class Trickle extends InputStream {
    private final byte[] data;
    private final int max;
    private int pos;

    Trickle(byte[] data, int max) {
      this.data = data;
      this.max = max;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, max), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
