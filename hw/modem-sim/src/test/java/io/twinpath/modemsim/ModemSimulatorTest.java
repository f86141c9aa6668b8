package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fazecast.jSerialComm.SerialPort;
import io.twinpath.testing.PtyPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModemSimulatorTest {
  @Test
  void answersBringUpCommandsOverARealPty() throws Exception {
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim = ModemSimulator.attach(pty.b().toString())) {
      Thread t =
          new Thread(
              () -> {
                try {
                  sim.run();
                } catch (java.io.IOException ignored) {
                  // closed by the test
                }
              });
      t.setDaemon(true);
      t.start();
      SerialPort host = SerialPort.getCommPort(pty.a().toString());
      assertThat(host.openPort()).isTrue();
      try {
        host.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 200, 0);
        assertThat(exchange(host, "ATE0\r", "OK\r\n")).endsWith("\r\nOK\r\n");
        sim.setRssi(31);
        assertThat(exchange(host, "AT+CSQ\r", "OK\r\n")).isEqualTo("\r\n+CSQ: 31,99\r\n\r\nOK\r\n");
        assertThat(exchange(host, "AT+BOGUS\r", "ERROR\r\n")).isEqualTo("\r\nERROR\r\n");
      } finally {
        host.closePort();
      }
    }
  }

  private static String exchange(SerialPort port, String cmd, String until) {
    byte[] c = cmd.getBytes(StandardCharsets.US_ASCII);
    port.writeBytes(c, c.length);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[128];
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!got.toString(StandardCharsets.US_ASCII).endsWith(until)
        && System.nanoTime() < deadline) {
      int n = port.readBytes(buf, buf.length);
      if (n > 0) {
        got.write(buf, 0, n);
      }
    }
    return got.toString(StandardCharsets.US_ASCII);
  }
}
