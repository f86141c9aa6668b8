package io.twinpath.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What one storm left, in the rows of the storm table: accepted messages, {@code sendmail} failures
 * that were delivered anyway, duplicates (and whether {@code status} flagged them), stuck, leftover
 * and lost items, and how long the drain took after the chaos ended.
 *
 * <p>The target: nothing lost, nothing stuck, nothing left in either spool (quarantine included),
 * every real duplicate flagged and at most two flags per real duplicate, drained within 60 s.
 */
record StormResult(
    String label,
    StormPlan plan,
    int submitted,
    int accepted,
    int failedButDelivered,
    List<Integer> failedExits,
    int duplicated,
    long hostFlags,
    @Nullable Long dongleFlags,
    int unflaggedDuplicates,
    long flagsCounted,
    int stuck,
    int deliveredStillQueued,
    long hostLeftover,
    long dongleLeftover,
    long quarantined,
    int lost,
    @Nullable Double drainedSeconds,
    List<String> incidents,
    List<String> details,
    Path directory,
    double sendmailSeconds,
    double submittedOver,
    String ran) {

  /** The flags against the target: the largest of the per-item sum and each device's total. */
  long flags() {
    return Math.max(flagsCounted, Math.max(hostFlags, dongleFlags == null ? 0 : dongleFlags));
  }

  long leftover() {
    return hostLeftover + dongleLeftover;
  }

  /** Where the run misses the target, one sentence each; empty when it meets it. */
  List<String> misses() {
    List<String> m = new ArrayList<>();
    if (lost > 0) {
      m.add(lost + " accepted message(s) lost");
    }
    if (stuck > 0) {
      m.add(stuck + " accepted message(s) stuck in a spool, undelivered");
    }
    if (leftover() > 0) {
      m.add(
          leftover()
              + " spool entries left after the drain (host "
              + hostLeftover
              + ", dongle "
              + dongleLeftover
              + ")");
    }
    if (quarantined > 0) {
      m.add(quarantined + " quarantined spool entries left");
    }
    if (unflaggedDuplicates > 0) {
      m.add(unflaggedDuplicates + " real duplicate(s) never flagged");
    }
    if (flags() > 2L * duplicated) {
      m.add(flags() + " possible-duplicate flags for " + duplicated + " real duplicate(s)");
    }
    if (drainedSeconds == null || drainedSeconds > Storm.DRAIN.toSeconds()) {
      m.add("not drained within " + Storm.DRAIN.toSeconds() + " s of the chaos ending");
    }
    return m;
  }

  boolean meetsTarget() {
    return misses().isEmpty();
  }

  String column() {
    return label + " (seed " + plan.seed() + (plan.externalBroker() ? ", Mosquitto)" : ")");
  }

  /** The storm table, one column per run, as in the issue that asked for it. */
  static String table(List<StormResult> runs) {
    List<String[]> rows = new ArrayList<>();
    rows.add(row(runs, "", StormResult::column));
    rows.add(row(runs, "accepted", r -> r.accepted + " of " + r.submitted));
    rows.add(
        row(
            runs,
            "`sendmail` exit ≠ 0, yet delivered",
            r ->
                r.failedButDelivered == 0
                    ? "0"
                    : r.failedButDelivered + " (exit " + new TreeSet<>(r.failedExits) + ")"));
    rows.add(row(runs, "duplicated", r -> Integer.toString(r.duplicated)));
    rows.add(
        row(
            runs,
            "`status --json` possibleDuplicates",
            r ->
                "host "
                    + r.hostFlags
                    + ", dongle "
                    + (r.dongleFlags == null ? "no answer" : r.dongleFlags.toString())));
    rows.add(
        row(runs, "real duplicates never flagged", r -> Integer.toString(r.unflaggedDuplicates)));
    rows.add(
        row(
            runs,
            "stuck",
            r ->
                r.stuck
                    + (r.deliveredStillQueued > 0
                        ? " (+" + r.deliveredStillQueued + " delivered, still queued)"
                        : "")));
    rows.add(
        row(
            runs,
            "leftover spool entries",
            r ->
                r.leftover()
                    + (r.leftover() > 0
                        ? " (host " + r.hostLeftover + ", dongle " + r.dongleLeftover + ")"
                        : "")
                    + (r.quarantined > 0 ? " (+" + r.quarantined + " quarantined)" : "")));
    rows.add(row(runs, "lost", r -> Integer.toString(r.lost)));
    rows.add(
        row(
            runs,
            "drained",
            r ->
                r.drainedSeconds == null
                    ? "not within " + Storm.DRAIN.toSeconds() + " s"
                    : String.format(Locale.ROOT, "%.1f s", r.drainedSeconds)));
    rows.add(row(runs, "target met", r -> r.meetsTarget() ? "yes" : "no"));

    int[] widths = new int[runs.size() + 1];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int n = 0; n < rows.size(); n++) {
      line(b, rows.get(n), widths);
      if (n == 0) {
        String[] rule = new String[widths.length];
        for (int i = 0; i < rule.length; i++) {
          rule[i] = "-".repeat(Math.max(3, widths[i]));
        }
        line(b, rule, widths);
      }
    }
    return b.toString();
  }

  /** The lines under the table: each run's chaos, unplanned deaths, misses and logs. */
  String notes() {
    StringBuilder b = new StringBuilder();
    b.append(label).append(": ").append(plan.summary()).append('\n');
    b.append("  ").append(ran).append('\n');
    b.append(
        String.format(
            Locale.ROOT,
            "  %d sendmail runs ended within %.1f s of the start (planned: %.1f s), slowest %.1f"
                + " s; logs in %s%n",
            submitted,
            submittedOver,
            plan.submissions().isEmpty()
                ? 0.0
                : plan.submissions().get(plan.submissions().size() - 1) / 1000.0,
            sendmailSeconds,
            directory));
    for (String i : incidents) {
      b.append("  incident: ").append(i).append('\n');
    }
    for (String m : misses()) {
      b.append("  misses the target: ").append(m).append('\n');
    }
    for (String d : details) {
      b.append("  ").append(d.replace("\n", "\n  ")).append('\n');
    }
    return b.toString();
  }

  private static String[] row(
      List<StormResult> runs, String name, Function<StormResult, String> cell) {
    String[] r = new String[runs.size() + 1];
    r[0] = name;
    for (int i = 0; i < runs.size(); i++) {
      r[i + 1] = cell.apply(runs.get(i));
    }
    return r;
  }

  private static void line(StringBuilder b, String[] cells, int[] widths) {
    b.append('|');
    for (int i = 0; i < cells.length; i++) {
      b.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
    }
    b.append('\n');
  }

  static Builder builder(String label, StormPlan plan) {
    return new Builder(label, plan);
  }

  /** Collects the counts while the storm's leftovers are gone through. */
  static final class Builder {
    final String label;
    final StormPlan plan;
    int submitted;
    int accepted;
    int failedButDelivered;
    final List<Integer> failedExits = new ArrayList<>();
    int duplicated;
    long hostFlags;
    @Nullable Long dongleFlags;
    int unflaggedDuplicates;
    long flagsCounted;
    int stuck;
    int deliveredStillQueued;
    long hostLeftover;
    long dongleLeftover;
    long quarantined;
    int lost;
    @Nullable Double drainedSeconds;
    final List<String> incidents = new ArrayList<>();
    final List<String> details = new ArrayList<>();
    Path directory = Path.of(".");
    double sendmailSeconds;
    double submittedOver;
    String ran = "";

    private Builder(String label, StormPlan plan) {
      this.label = label;
      this.plan = plan;
    }

    StormResult build() {
      return new StormResult(
          label,
          plan,
          submitted,
          accepted,
          failedButDelivered,
          List.copyOf(failedExits),
          duplicated,
          hostFlags,
          dongleFlags,
          unflaggedDuplicates,
          flagsCounted,
          stuck,
          deliveredStillQueued,
          hostLeftover,
          dongleLeftover,
          quarantined,
          lost,
          drainedSeconds,
          List.copyOf(incidents),
          List.copyOf(details),
          directory,
          sendmailSeconds,
          submittedOver,
          ran);
    }
  }
}
