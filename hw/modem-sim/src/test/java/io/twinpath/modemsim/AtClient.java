package io.twinpath.modemsim;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small scripted AT client for tests: writes commands on the host end of a pty and reads until a
 * final result or an expected pattern. Bytes are kept as ISO-8859-1 text, one char a byte.
 */
final class AtClient implements AutoCloseable {
  static final Pattern FINAL =
      Pattern.compile(
          "\r\n(OK|ERROR|\\+CME ERROR: [^\r]*|\\+CMS ERROR: [^\r]*|NO CARRIER|CONNECT[^\r]*"
              + "|SEND OK|SEND FAIL)\r\n");

  private final SerialPort port;
  private final StringBuilder received = new StringBuilder();
  private final Thread reader;
  private volatile boolean open = true;
  private int cursor;
  private Duration timeout = Duration.ofSeconds(5);

  AtClient(String tty) {
    port = SerialPort.getCommPort(tty);
    port.setComPortParameters(115200, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    if (!port.openPort()) {
      throw new IllegalStateException("cannot open " + tty);
    }
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
    reader =
        new Thread(
            () -> {
              byte[] buf = new byte[4096];
              while (open) {
                int n = port.readBytes(buf, buf.length);
                if (n > 0) {
                  synchronized (received) {
                    received.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    received.notifyAll();
                  }
                } else if (n < 0) {
                  return;
                }
              }
            },
            "at-client " + tty);
    reader.setDaemon(true);
    reader.start();
  }

  AtClient timeout(Duration d) {
    timeout = d;
    return this;
  }

  void write(String text) {
    write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void write(byte[] b) {
    int done = 0;
    while (done < b.length) {
      int n = port.writeBytes(b, b.length - done, done);
      if (n < 0) {
        throw new IllegalStateException("write failed");
      }
      done += n;
    }
  }

  /** Writes one byte at a time, each flushed on its own, to fragment the modem's reads. */
  void writeByteByByte(String text) {
    for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
      write(new byte[] {b});
      LockSupport.parkNanos(200_000L);
    }
  }

  /** Sends {@code cmd + CR} and returns everything up to and including the final result. */
  String send(String cmd) {
    write(cmd + "\r");
    return expect(FINAL);
  }

  /** Waits for {@code regex} after the cursor; returns the text up to its end and moves past. */
  String expect(String regex) {
    return expect(Pattern.compile(regex));
  }

  /** Waits for the literal text after the cursor. */
  String expectText(String literal) {
    return expect(Pattern.compile(Pattern.quote(literal)));
  }

  String expect(Pattern p) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (true) {
        Matcher m = p.matcher(received);
        if (m.find(cursor)) {
          String out = received.substring(cursor, m.end());
          cursor = m.end();
          return out;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no match for /"
                  + p.pattern().replace("\r", "\\r").replace("\n", "\\n")
                  + "/ within "
                  + timeout.toMillis()
                  + " ms; unread: '"
                  + visible(received.substring(cursor))
                  + "'");
        }
        try {
          received.wait(Math.max(1, left / 1_000_000L));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Reads exactly {@code n} bytes after the cursor. */
  String readBytes(int n) {
    return expect(Pattern.compile("(?s).{" + n + "}"));
  }

  /** Everything received after the cursor so far, without consuming it. */
  String unread() {
    synchronized (received) {
      return received.substring(cursor);
    }
  }

  /** Moves the cursor to the end of what was received. */
  void skipAll() {
    synchronized (received) {
      cursor = received.length();
    }
  }

  static String visible(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }

  @Override
  public void close() {
    open = false;
    port.closePort();
  }
}
