package io.twinpath.core.spool;

import java.time.Clock;
import java.util.Objects;

/**
 * How a spool is opened: storage budget, durability, clock. Immutable; build with {@link
 * #builder()}.
 */
public final class SpoolOptions {
  /** Default storage budget for message bytes: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  private final long maxBytes;
  private final boolean fsync;
  private final Clock clock;

  private SpoolOptions(Builder b) {
    this.maxBytes = b.maxBytes;
    this.fsync = b.fsync;
    this.clock = b.clock;
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

  @Override
  public String toString() {
    return "SpoolOptions{maxBytes=" + maxBytes + ", fsync=" + fsync + ", clock=" + clock + "}";
  }

  /** Builder with the defaults: 1 GiB, fsync on, the UTC system clock. */
  public static final class Builder {
    private long maxBytes = DEFAULT_MAX_BYTES;
    private boolean fsync = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

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
