package io.twinpath.hw.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.testing.PtyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SerialBytePipeIT {
  @Test
  void bytesCrossARealPseudoTerminalPairBothWays() throws IOException {
    try (PtyPair pty = PtyPair.open();
        SerialBytePipe a = SerialBytePipe.open(SerialSettings.of(pty.a().toString()));
        SerialBytePipe b = SerialBytePipe.open(SerialSettings.of(pty.b().toString()))) {
      a.write("AT\r".getBytes(StandardCharsets.US_ASCII));
      assertThat(readN(b, 3)).isEqualTo("AT\r");
      b.write("\r\nOK\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readN(a, 6)).isEqualTo("\r\nOK\r\n");
    }
  }

  @Test
  void readTimesOutWithZeroBytes() throws IOException {
    try (PtyPair pty = PtyPair.open();
        SerialBytePipe a = SerialBytePipe.open(SerialSettings.of(pty.a().toString()))) {
      assertThat(a.read(new byte[8], 0, 8, Duration.ofMillis(100))).isZero();
    }
  }

  @Test
  void openingAMissingDeviceNamesIt() {
    assertThatThrownBy(() -> SerialBytePipe.open(SerialSettings.of("/dev/ttyNOPE42")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("/dev/ttyNOPE42");
  }

  @Test
  void settingsRejectBadValuesNamingThem() {
    assertThatThrownBy(() -> SerialSettings.of("ttyUSB2")).hasMessageContaining("'ttyUSB2'");
    assertThatThrownBy(
            () -> SerialSettings.of("/dev/ttyUSB2", 12345, SerialSettings.FlowControl.NONE))
        .hasMessageContaining("12345");
  }

  private static String readN(BytePipe p, int n) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64];
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (out.size() < n && System.nanoTime() < deadline) {
      int r = p.read(buf, 0, Math.min(buf.length, n - out.size()), Duration.ofMillis(200));
      out.write(buf, 0, r);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
