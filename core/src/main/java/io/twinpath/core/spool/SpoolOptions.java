package io.twinpath.core.spool;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a spool is opened: storage budget, durability, clock. Immutable; build with {@link
 * #builder()}.
 */
public final class SpoolOptions {
  /** Default storage budget for message bytes: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  /** How long a quarantined entry whose item's expiry is unknown is kept: 5 days. */
  public static final Duration DEFAULT_QUARANTINE_KEEP = Duration.ofDays(5);

  private final long maxBytes;
  private final boolean fsync;
  private final Clock clock;
  private final Duration quarantineKeep;

  private SpoolOptions(Builder b) {
    this.maxBytes = b.maxBytes;
    this.fsync = b.fsync;
    this.clock = b.clock;
    this.quarantineKeep = b.quarantineKeep;
  }

  public static SpoolOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The most message bytes (queued items plus incoming copies) the spool holds. */
  public long maxBytes() {
    return maxBytes;
  }

  /** Whether every write is forced to the disk before it counts (always true in production). */
  public boolean fsync() {
    return fsync;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * How long a quarantined entry is kept when its item's expiry cannot be read (counted from the
   * creation time in its name, else from when it was found); others expire with their item.
   */
  public Duration quarantineKeep() {
    return quarantineKeep;
  }

  @Override
  public String toString() {
    return "SpoolOptions{maxBytes="
        + maxBytes
        + ", fsync="
        + fsync
        + ", clock="
        + clock
        + ", quarantineKeep="
        + quarantineKeep
        + "}";
  }

  /** Builder with the defaults: 1 GiB, fsync on, the UTC system clock. */
  public static final class Builder {
    private long maxBytes = DEFAULT_MAX_BYTES;
    private boolean fsync = true;
    private Clock clock = Clock.systemUTC();
    private Duration quarantineKeep = DEFAULT_QUARANTINE_KEEP;

    private Builder() {}

    /**
     * @throws IllegalArgumentException when negative
     */
    public Builder quarantineKeep(Duration keep) {
      if (keep.isNegative()) {
        throw new IllegalArgumentException(
            "spool.quarantineKeep " + keep + " is not accepted; use zero or more");
      }
      this.quarantineKeep = keep;
      return this;
    }

    /**
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException(
            "spool.maxBytes " + bytes + " is not accepted; use a positive number of bytes");
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * Turns fsync off. Only for measurements: without fsync an acknowledged item can be lost on
     * power failure.
     */
    public Builder fsync(boolean on) {
      this.fsync = on;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public SpoolOptions build() {
      return new SpoolOptions(this);
    }
  }
}
