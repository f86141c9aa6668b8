package io.twinpath.host.internal.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DotInputStreamTest {
  static Stream<Arguments> bodies() {
    return Stream.of(
        // wire bytes after DATA, the message, what follows the final dot
        Arguments.of("a\r\nb\r\n.\r\nQUIT\r\n", "a\r\nb\r\n", "QUIT\r\n"),
        Arguments.of(".\r\n", "", ""), // an empty message
        Arguments.of("..\r\n.\r\n", ".\r\n", ""), // a stuffed lone dot
        Arguments.of("..x\r\n.y\r\n.\r\n", ".x\r\ny\r\n", ""), // stuffing removed
        Arguments.of("a\n.\nb\r\n.\r\n", "a\n.\nb\r\n", ""), // bare LF never ends it
        Arguments.of("a\r\n.\rb\r\n.\r\n", "a\r\n\rb\r\n", ""), // "." CR x: dot was stuffing
        Arguments.of("a\r\n.\r\r\n.\r\n", "a\r\n\r\r\n", ""),
        Arguments.of("a\r\n. \r\n.\r\n", "a\r\n \r\n", ""),
        Arguments.of("8bit \u00e9\u2713\r\n.\r\n", "8bit \u00e9\u2713\r\n", ""));
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void endsAtTheFinalDotAndUnstuffs(String wire, String message, String rest) throws Exception {
    for (int chunk : new int[] {1, 2, 3, 4096}) {
      InputStream in =
          new Trickle(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), chunk);
      DotInputStream body = new DotInputStream(in);
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
          .as("chunks of %d", chunk)
          .isEqualTo(message);
      assertThat(body.atEnd()).isTrue();
      assertThat(body.read()).isEqualTo(-1);
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(rest);
    }
  }

  @ParameterizedTest
  @MethodSource("cutOff")
  void theEndOfTheConnectionBeforeTheDotIsAnError(String wire) {
    DotInputStream body =
        new DotInputStream(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(body::readAllBytes)
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("before the final dot");
  }

  static Stream<String> cutOff() {
    return Stream.of("", "a\r\n", "a\r\n.", "a\r\n.\r", "a\n.\n");
  }

  /** Hands out at most {@code chunk} bytes per read, as a slow network does. */
  static final class Trickle extends FilterInputStream {
    private final int chunk;

    Trickle(InputStream in, int chunk) {
      super(in);
      this.chunk = chunk;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, chunk));
    }

    @Override
    public int available() throws IOException {
      return Math.min(super.available(), chunk);
    }
  }
}
