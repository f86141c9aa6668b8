package io.twinpath.dongle.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The steps of a check with a plain verdict each, and what to do about a failure. */
public final class CheckReport {
  /** A step's verdict. */
  public enum Verdict {
    OK,
    WARN,
    FAIL,
    SKIPPED
  }

  /** One step's result. */
  public record Step(String name, Verdict verdict, String finding, String advice) {}

  private final List<Step> steps = new ArrayList<>();
  private final PrintWriter out;

  public CheckReport(PrintWriter out) {
    this.out = out;
  }

  public void ok(String name, String finding) {
    add(new Step(name, Verdict.OK, finding, ""));
  }

  public void warn(String name, String finding, String advice) {
    add(new Step(name, Verdict.WARN, finding, advice));
  }

  public void fail(String name, String finding, String advice) {
    add(new Step(name, Verdict.FAIL, finding, advice));
  }

  public void skipped(String name, String why) {
    add(new Step(name, Verdict.SKIPPED, why, ""));
  }

  private void add(Step s) {
    steps.add(s);
    String label = String.format("%d. %-13s", steps.size(), s.name());
    out.println(label + " " + s.verdict() + ": " + s.finding());
    if (!s.advice().isEmpty()) {
      out.println("   What to do: " + s.advice());
    }
    out.flush();
  }

  public List<Step> steps() {
    return List.copyOf(steps);
  }

  public boolean failed() {
    return steps.stream().anyMatch(s -> s.verdict() == Verdict.FAIL);
  }

  /** One closing sentence. */
  public String summary() {
    long fails = steps.stream().filter(s -> s.verdict() == Verdict.FAIL).count();
    long warns = steps.stream().filter(s -> s.verdict() == Verdict.WARN).count();
    if (fails > 0) {
      Step first =
          steps.stream().filter(s -> s.verdict() == Verdict.FAIL).findFirst().orElseThrow();
      return "Not ready: the " + first.name() + " step failed. Fix it and run this check again.";
    }
    if (warns > 0) {
      return "Ready, with " + warns + " warning" + (warns > 1 ? "s" : "") + " above.";
    }
    return "Ready: this device can send mail over cellular.";
  }
}
