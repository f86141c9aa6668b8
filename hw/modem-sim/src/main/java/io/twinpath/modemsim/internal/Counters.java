package io.twinpath.modemsim.internal;

import java.util.concurrent.atomic.AtomicLong;

/** Byte counters on the serial line and on the network side. Thread-safe. */
public final class Counters {
  final AtomicLong serialIn = new AtomicLong();
  final AtomicLong serialOut = new AtomicLong();
  final AtomicLong tcpSent = new AtomicLong();
  final AtomicLong tcpReceived = new AtomicLong();

  /** Bytes the host wrote to the modem. */
  public long serialIn() {
    return serialIn.get();
  }

  /** Bytes the modem wrote to the host. */
  public long serialOut() {
    return serialOut.get();
  }

  /** Payload bytes written to remote TCP peers. */
  public long tcpSent() {
    return tcpSent.get();
  }

  /** Payload bytes read from remote TCP peers. */
  public long tcpReceived() {
    return tcpReceived.get();
  }

  /** Sets every counter to zero. */
  public void reset() {
    serialIn.set(0);
    serialOut.set(0);
    tcpSent.set(0);
    tcpReceived.set(0);
  }
}
