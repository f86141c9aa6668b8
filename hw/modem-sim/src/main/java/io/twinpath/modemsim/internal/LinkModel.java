package io.twinpath.modemsim.internal;

import java.time.Duration;

/**
 * The radio link shared by every socket: one-way latency and a bit rate each way. Each chunk gets
 * the time it finishes arriving at the far end; chunks queue behind each other per direction.
 */
final class LinkModel {
  private volatile long latencyNanos;
  private volatile long bitsPerSecond;
  private long upFreeAt;
  private long downFreeAt;

  LinkModel(Duration latency, long bitsPerSecond) {
    set(latency, bitsPerSecond);
  }

  void set(Duration latency, long bitsPerSecond) {
    this.latencyNanos = latency.toNanos();
    this.bitsPerSecond = bitsPerSecond;
  }

  void setLatency(Duration latency) {
    this.latencyNanos = latency.toNanos();
  }

  void setBitsPerSecond(long bps) {
    this.bitsPerSecond = bps;
  }

  long latencyNanos() {
    return latencyNanos;
  }

  /** System.nanoTime() at which {@code bytes} sent now reach the network. */
  synchronized long uplinkDue(int bytes) {
    long now = System.nanoTime();
    upFreeAt = Math.max(now, upFreeAt) + serialisation(bytes);
    return upFreeAt + latencyNanos;
  }

  /** System.nanoTime() at which {@code bytes} read from the network now reach the modem. */
  synchronized long downlinkDue(int bytes) {
    long now = System.nanoTime();
    downFreeAt = Math.max(now, downFreeAt) + serialisation(bytes);
    return downFreeAt + latencyNanos;
  }

  private long serialisation(int bytes) {
    long bps = bitsPerSecond;
    return bps <= 0 ? 0 : bytes * 8L * 1_000_000_000L / bps;
  }
}
