package io.twinpath.core.inbound.internal;

/**
 * How many coded symbols to ask for. A difference of d items decodes from about 1.35·d–1.8·d
 * symbols (more, relatively, for small d); the first batch aims just past that for the estimated d,
 * later batches add a share of what was sent, so that few round trips are needed and little is sent
 * beyond the point where decoding succeeds.
 */
public final class BatchPolicy {
  private BatchPolicy() {}

  /**
   * Symbols that decode a difference of {@code d} with high probability: about {@code 1.35·d +
   * c·√d} (c = 2.5 covers 9 differences in 10, c = 3.9 all but 1 in 100, as measured).
   */
  static double threshold(double d, double c) {
    return 1.35 * d + c * Math.sqrt(d) + 2;
  }

  /**
   * The first batch.
   *
   * @param estimate the estimated difference size, or a negative number when it is unknown (the
   *     small sketch was too full; the batch is then sized for 150 and the full sketch goes along)
   * @param lowerBound a proven lower bound of the difference (the difference of the set sizes)
   */
  public static int first(double estimate, long lowerBound) {
    double d = estimate < 0 ? 150 : estimate;
    d = Math.max(Math.max(d, lowerBound), 1);
    return clamp(threshold(d, 2.5));
  }

  /**
   * A later batch.
   *
   * @param received symbols received so far
   * @param estimate the best estimate of the difference size, negative when unknown
   * @param fromFullSketch whether the estimate came from the full sketch (within about 8 %) or the
   *     small one (within about 25 %)
   */
  public static int next(int received, double estimate, boolean fromFullSketch) {
    if (estimate > 0) {
      double high = fromFullSketch ? estimate * 1.08 : estimate / 0.75;
      double target = threshold(high, 3.9);
      if (received + 1 < target) {
        return clamp(target - received);
      }
    }
    return clamp(Math.max(4, 0.1 * received + 4 * Math.sqrt(received)));
  }

  private static int clamp(double want) {
    return (int) Math.max(1, Math.min(ReconcileMessages.MAX_BATCH, Math.ceil(want)));
  }
}
