package io.twinpath.testing;

import java.time.Duration;
import java.util.Objects;

/** What a {@link FaultProxy} does to connections. Immutable; pick one with the static factories. */
public final class Fault {
  /** The kinds of fault. */
  public enum Kind {
    /** Forward bytes untouched. */
    PASS,
    /** Nothing listens: connects fail at once with "connection refused". */
    REFUSE,
    /** SYNs are dropped: connects hang until the client's connect timeout. */
    BLACK_HOLE,
    /** Connects succeed, then nothing is ever said (a captive portal, a wedged server). */
    SILENT,
    /** Forward the given number of bytes (both directions together), then reset both sides. */
    RESET_AFTER_BYTES,
    /** Forward everything, each chunk after the given delay. */
    DELAY,
    /**
     * Forward a plaintext SMTP session up to and including the final dot, then reset the client
     * before the server's reply reaches it. The server does receive the dot and may deliver.
     */
    RESET_AFTER_FINAL_DOT,
    /** As {@link #RESET_AFTER_FINAL_DOT}, but the client connection stays open and silent. */
    HANG_AFTER_FINAL_DOT
  }

  private static final Fault PASS = new Fault(Kind.PASS, 0, Duration.ZERO);

  private final Kind kind;
  private final long bytes;
  private final Duration delay;

  private Fault(Kind kind, long bytes, Duration delay) {
    this.kind = kind;
    this.bytes = bytes;
    this.delay = delay;
  }

  public static Fault none() {
    return PASS;
  }

  public static Fault refuse() {
    return new Fault(Kind.REFUSE, 0, Duration.ZERO);
  }

  public static Fault blackHole() {
    return new Fault(Kind.BLACK_HOLE, 0, Duration.ZERO);
  }

  public static Fault silent() {
    return new Fault(Kind.SILENT, 0, Duration.ZERO);
  }

  public static Fault resetAfterBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    return new Fault(Kind.RESET_AFTER_BYTES, bytes, Duration.ZERO);
  }

  public static Fault delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    return new Fault(Kind.DELAY, 0, delay);
  }

  public static Fault resetAfterFinalDot() {
    return new Fault(Kind.RESET_AFTER_FINAL_DOT, 0, Duration.ZERO);
  }

  public static Fault hangAfterFinalDot() {
    return new Fault(Kind.HANG_AFTER_FINAL_DOT, 0, Duration.ZERO);
  }

  public Kind kind() {
    return kind;
  }

  public long bytes() {
    return bytes;
  }

  public Duration delay() {
    return delay;
  }

  @Override
  public String toString() {
    switch (kind) {
      case RESET_AFTER_BYTES:
        return kind + "(" + bytes + ")";
      case DELAY:
        return kind + "(" + delay.toMillis() + "ms)";
      default:
        return kind.toString();
    }
  }
}
