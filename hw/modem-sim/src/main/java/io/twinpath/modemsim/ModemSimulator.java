package io.twinpath.modemsim;

import com.fazecast.jSerialComm.SerialPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The simulated modem: reads AT command lines from a tty and answers like the real module.
 *
 * <p>This first cut answers the basic bring-up commands; the dialects grow from here.
 */
public final class ModemSimulator implements AutoCloseable {
  private final SerialPort port;
  private volatile boolean running = true;
  private boolean echo = true;
  private int rssi = 20;

  private ModemSimulator(SerialPort port) {
    this.port = port;
  }

  /** Opens the tty at {@code device} (e.g. one end of a socat pty pair). */
  public static ModemSimulator attach(String device) throws IOException {
    SerialPort port = SerialPort.getCommPort(device);
    port.setComPortParameters(115200, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    if (!port.openPort()) {
      throw new IOException("the simulator cannot open " + device);
    }
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 200, 0);
    return new ModemSimulator(port);
  }

  /** Sets the signal the next {@code AT+CSQ} reports (0-31, 99 unknown). */
  public void setRssi(int rssi) {
    this.rssi = rssi;
  }

  /** Serves commands until {@link #close()}. */
  public void run() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buf = new byte[256];
    while (running) {
      int n = port.readBytes(buf, buf.length);
      if (n < 0) {
        if (!running) {
          return;
        }
        throw new IOException("the simulator lost its tty");
      }
      for (int i = 0; i < n; i++) {
        byte b = buf[i];
        if (echo) {
          port.writeBytes(new byte[] {b}, 1);
        }
        if (b == '\r') {
          respond(line.toString(StandardCharsets.US_ASCII).trim());
          line.reset();
        } else if (b != '\n') {
          line.write(b);
        }
      }
    }
  }

  /** Answers one command line; public so the dialect tables can be tested line by line. */
  String answer(String command) {
    String c = command.toUpperCase(Locale.ROOT);
    if (c.isEmpty()) {
      return "";
    }
    if (c.equals("AT")) {
      return "\r\nOK\r\n";
    }
    if (c.equals("ATE0")) {
      echo = false;
      return "\r\nOK\r\n";
    }
    if (c.equals("ATE1")) {
      echo = true;
      return "\r\nOK\r\n";
    }
    if (c.equals("AT+CSQ")) {
      return "\r\n+CSQ: " + rssi + ",99\r\n\r\nOK\r\n";
    }
    if (c.equals("AT+CPIN?")) {
      return "\r\n+CPIN: READY\r\n\r\nOK\r\n";
    }
    return "\r\nERROR\r\n";
  }

  private void respond(String command) {
    byte[] out = answer(command).getBytes(StandardCharsets.US_ASCII);
    if (out.length > 0) {
      port.writeBytes(out, out.length);
    }
  }

  @Override
  public void close() {
    running = false;
    port.closePort();
  }
}
