package io.twinpath.modemsim.internal;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/** The modem's end of the serial line, over jSerialComm. Counts bytes each way. */
final class SerialLine {
  /** Bytes read with the time they arrived. */
  record Chunk(byte[] bytes, long nanos) {}

  private final SerialPort port;
  private final String name;
  private final Counters counters;
  private volatile boolean open = true;
  private volatile int splitWrites;
  private Thread reader = new Thread();

  private SerialLine(SerialPort port, String name, Counters counters) {
    this.port = port;
    this.name = name;
    this.counters = counters;
  }

  static SerialLine open(String device, Counters counters) throws IOException {
    SerialPort port;
    try {
      port = SerialPort.getCommPort(device);
    } catch (SerialPortInvalidPortException e) {
      throw new IOException("the simulator cannot find the tty " + device, e);
    }
    port.setComPortParameters(115200, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
    if (!port.openPort()) {
      throw new IOException(
          "the simulator cannot open the tty "
              + device
              + " (error "
              + port.getLastErrorCode()
              + "); is it one end of a socat pty pair?");
    }
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
    return new SerialLine(port, device, counters);
  }

  String name() {
    return name;
  }

  /** Starts the thread that hands every chunk read to {@code sink}. */
  void start(Consumer<Chunk> sink, Consumer<String> onFailure) {
    reader =
        new Thread(
            () -> {
              byte[] buf = new byte[4096];
              int failures = 0;
              while (open) {
                int n = port.readBytes(buf, buf.length);
                if (n < 0) {
                  // a pty may report EAGAIN now and then; only a lasting failure ends the line
                  if (open && ++failures < 100) {
                    LockSupport.parkNanos(10_000_000L);
                    continue;
                  }
                  if (open) {
                    onFailure.accept(
                        "reading " + name + " failed (error " + port.getLastErrorCode() + ")");
                  }
                  return;
                }
                failures = 0;
                if (n > 0) {
                  counters.serialIn.addAndGet(n);
                  sink.accept(new Chunk(Arrays.copyOf(buf, n), System.nanoTime()));
                }
              }
            },
            "modem-sim-serial " + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Writes in pieces of at most {@code max} bytes with a short pause between; 0 = whole. */
  void setSplitWrites(int max) {
    this.splitWrites = max;
  }

  private static final long WRITE_STALL_LIMIT_NANOS = 10_000_000_000L;

  void write(byte[] b) {
    if (!open || b.length == 0) {
      return;
    }
    int split = splitWrites;
    int step = split > 0 ? split : b.length;
    for (int off = 0; off < b.length; off += step) {
      int len = Math.min(step, b.length - off);
      int done = 0;
      long deadline = System.nanoTime() + WRITE_STALL_LIMIT_NANOS;
      while (done < len && open) {
        int n = port.writeBytes(b, len - done, off + done);
        if (n > 0) {
          done += n;
          deadline = System.nanoTime() + WRITE_STALL_LIMIT_NANOS;
          continue;
        }
        // the tty's buffer is full (the reader on the other end is behind): wait, as a UART
        // would, instead of dropping bytes; give up only if nothing drains for a long time
        if (System.nanoTime() > deadline) {
          counters.serialOut.addAndGet(done);
          return;
        }
        LockSupport.parkNanos(500_000L);
      }
      counters.serialOut.addAndGet(done);
      if (split > 0 && off + step < b.length) {
        LockSupport.parkNanos(1_000_000L);
      }
    }
  }

  void close() {
    open = false;
    port.closePort();
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
