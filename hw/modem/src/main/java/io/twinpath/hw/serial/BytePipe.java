package io.twinpath.hw.serial;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * A full-duplex byte stream to a modem. The AT engine and the simulator speak only through this;
 * serial ports, pseudo-terminals and in-memory pipes implement it.
 */
public interface BytePipe extends Closeable {
  /**
   * Reads up to {@code len} bytes, waiting at most {@code timeout} for the first one.
   *
   * @return the number of bytes read, 0 on timeout
   * @throws IOException when the pipe is closed or broken
   */
  int read(byte[] buf, int off, int len, Duration timeout) throws IOException;

  /** Writes all bytes. */
  void write(byte[] buf, int off, int len) throws IOException;

  default void write(byte[] buf) throws IOException {
    write(buf, 0, buf.length);
  }

  /** A name for logs, e.g. the device path. */
  String name();
}
