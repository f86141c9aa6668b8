package io.twinpath.core.engine;

import java.time.Duration;
import java.util.Objects;

/** Timing and transfer settings of the coordinator. Immutable; build with {@link #builder()}. */
public final class CoordinatorSettings {
  private final Duration takeoverDelay;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double jitter;
  private final int chunkSize;
  private final int copyWindow;
  private final Duration syncTimeout;
  private final Duration recordRetention;
  private final Duration reannounceInterval;

  private CoordinatorSettings(Builder b) {
    this.takeoverDelay = b.takeoverDelay;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
    this.chunkSize = b.chunkSize;
    this.copyWindow = b.copyWindow;
    this.syncTimeout = b.syncTimeout;
    this.recordRetention = b.recordRetention;
    this.reannounceInterval = b.reannounceInterval;
  }

  public static CoordinatorSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How long the holder must stay offline before the next device takes its turn (30 s). */
  public Duration takeoverDelay() {
    return takeoverDelay;
  }

  /** Backoff before the second round (5 s); doubles each round up to {@link #maxBackoff()}. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** Longest backoff between rounds (10 min). */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Random spread applied to each backoff, as a fraction (0.2 = ±20%). */
  public double jitter() {
    return jitter;
  }

  /** Bytes of message per chunk (32 KiB). */
  public int chunkSize() {
    return chunkSize;
  }

  /** Chunks sent ahead of the receiver's acknowledgement (8). */
  public int copyWindow() {
    return copyWindow;
  }

  /** How long a restarted device waits for its peers' answers before going on (5 s). */
  public Duration syncTimeout() {
    return syncTimeout;
  }

  /**
   * How long the record of a finished item is kept (1 day), counted from the later of its finish
   * and its expiry. Until then late or repeated commands about the item are answered with its
   * outcome; afterwards commands about the (expired) item are refused, so it can never start again.
   */
  public Duration recordRetention() {
    return recordRetention;
  }

  /**
   * How often unfinished items are announced again to every reachable peer (30 s), besides every
   * time a peer connects again: a command lost with a broker is repaired by the next announcement.
   */
  public Duration reannounceInterval() {
    return reannounceInterval;
  }

  /** The backoff before round {@code round} (round 0 has none), without jitter. */
  public Duration backoff(int round) {
    if (round <= 0) {
      return Duration.ZERO;
    }
    long ms = initialBackoff.toMillis();
    for (int i = 1; i < round && ms < maxBackoff.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }

  @Override
  public String toString() {
    return "CoordinatorSettings[takeoverDelay="
        + takeoverDelay
        + ", backoff="
        + initialBackoff
        + ".."
        + maxBackoff
        + " ±"
        + jitter
        + ", chunkSize="
        + chunkSize
        + ", copyWindow="
        + copyWindow
        + ", syncTimeout="
        + syncTimeout
        + ", recordRetention="
        + recordRetention
        + ", reannounceInterval="
        + reannounceInterval
        + "]";
  }

  /** Checks each value as it is set. */
  public static final class Builder {
    private Duration takeoverDelay = Duration.ofSeconds(30);
    private Duration initialBackoff = Duration.ofSeconds(5);
    private Duration maxBackoff = Duration.ofMinutes(10);
    private double jitter = 0.2;
    private int chunkSize = 32 * 1024;
    private int copyWindow = 8;
    private Duration syncTimeout = Duration.ofSeconds(5);
    private Duration recordRetention = Duration.ofDays(1);
    private Duration reannounceInterval = Duration.ofSeconds(30);

    private Builder() {}

    public Builder reannounceInterval(Duration d) {
      this.reannounceInterval =
          check("reannounceInterval", d, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    public Builder recordRetention(Duration d) {
      this.recordRetention = check("recordRetention", d, Duration.ZERO, Duration.ofDays(3650));
      return this;
    }

    public Builder takeoverDelay(Duration d) {
      this.takeoverDelay = check("takeoverDelay", d, Duration.ZERO, Duration.ofHours(24));
      return this;
    }

    public Builder initialBackoff(Duration d) {
      this.initialBackoff = check("initialBackoff", d, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    public Builder maxBackoff(Duration d) {
      this.maxBackoff = check("maxBackoff", d, Duration.ZERO, Duration.ofHours(24));
      return this;
    }

    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 0.5)) {
        throw new IllegalArgumentException(
            "jitter " + fraction + " is not accepted; use a fraction from 0 to 0.5");
      }
      this.jitter = fraction;
      return this;
    }

    public Builder chunkSize(int bytes) {
      if (bytes < 1024 || bytes > 256 * 1024) {
        throw new IllegalArgumentException(
            "chunkSize " + bytes + " is not accepted; use 1024 to 262144 bytes");
      }
      this.chunkSize = bytes;
      return this;
    }

    public Builder copyWindow(int chunks) {
      if (chunks < 1 || chunks > 64) {
        throw new IllegalArgumentException(
            "copyWindow " + chunks + " is not accepted; use 1 to 64 chunks");
      }
      this.copyWindow = chunks;
      return this;
    }

    public Builder syncTimeout(Duration d) {
      this.syncTimeout = check("syncTimeout", d, Duration.ofMillis(1), Duration.ofMinutes(10));
      return this;
    }

    private static Duration check(String key, Duration d, Duration min, Duration max) {
      Objects.requireNonNull(d, key);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            key + " " + d + " is not accepted; use " + min + " to " + max);
      }
      return d;
    }

    public CoordinatorSettings build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
      }
      return new CoordinatorSettings(this);
    }
  }
}
