package io.twinpath.hw.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A {@link BytePipe} over any Linux tty (USB modems, UARTs, pseudo-terminals) with jSerialComm. */
public final class SerialBytePipe implements BytePipe {
  private static final int EAGAIN = 11;
  private static final long WRITE_STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private final SerialPort port;
  private final String name;
  private int readTimeoutMillis = -1;

  private SerialBytePipe(SerialPort port, String name) {
    this.port = port;
    this.name = name;
  }

  /** Opens the port; the message names the device when it cannot be opened. */
  public static SerialBytePipe open(SerialSettings settings) throws IOException {
    SerialPort port;
    try {
      port = SerialPort.getCommPort(settings.device());
    } catch (SerialPortInvalidPortException e) {
      throw new IOException(
          "serial device "
              + settings.device()
              + " does not exist; check the modem is plugged in"
              + " and the path (ls /dev/ttyUSB* /dev/ttyS*)",
          e);
    }
    port.setComPortParameters(
        settings.baudRate(), 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    port.setFlowControl(
        settings.flowControl() == SerialSettings.FlowControl.RTS_CTS
            ? SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED
            : SerialPort.FLOW_CONTROL_DISABLED);
    if (!port.openPort()) {
      throw new IOException(
          "cannot open serial device "
              + settings.device()
              + " (error "
              + port.getLastErrorCode()
              + "); check that it exists, that this user may read and write it (group dialout),"
              + " and that ModemManager does not hold it");
    }
    return new SerialBytePipe(port, settings.device());
  }

  @Override
  public int read(byte[] buf, int off, int len, Duration timeout) throws IOException {
    if (!port.isOpen()) {
      throw new IOException(name + " is closed");
    }
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    if (millis != readTimeoutMillis) {
      // reconfiguring the tty on every read is slow; the engine always asks the same
      port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, millis, 0);
      readTimeoutMillis = millis;
    }
    int n = port.readBytes(buf, len, off);
    if (n < 0) {
      if (port.isOpen() && port.getLastErrorCode() == EAGAIN) {
        return 0; // a pty reports "try again" now and then
      }
      throw new IOException("reading " + name + " failed (error " + port.getLastErrorCode() + ")");
    }
    return n;
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    int done = 0;
    long stuckSince = 0;
    while (done < len) {
      int n = port.writeBytes(buf, len - done, off + done);
      if (n > 0) {
        done += n;
        stuckSince = 0;
        continue;
      }
      // the tty's buffer is full (EAGAIN) or it took nothing: wait for the other side a while
      long now = System.nanoTime();
      if (stuckSince == 0) {
        stuckSince = now;
      } else if (now - stuckSince > WRITE_STALL_NANOS || !port.isOpen()) {
        throw new IOException(
            "writing "
                + name
                + " failed (error "
                + port.getLastErrorCode()
                + "); the line accepted nothing for "
                + TimeUnit.NANOSECONDS.toSeconds(WRITE_STALL_NANOS)
                + " s");
      }
      LockSupport.parkNanos(1_000_000L);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    port.closePort();
  }
}
