package io.twinpath.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.testing.SystemComponents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the Promela model of the send protocol ({@code src/main/promela/send.pml}) with spin: the
 * model holds under each kind of fault, and with one safeguard switched off spin finds the failure
 * that safeguard prevents. Needs {@code spin} and {@code gcc} (Debian packages {@code spin}, {@code
 * gcc} and {@code libc6-dev}): skipped with a loud reason without them, failed when {@code
 * CI=true}.
 */
class SendModelTest {
  private static final Path MODEL = Path.of("src", "main", "promela", "send.pml");
  private static final List<String> FAULT_KINDS =
      List.of("CRASHES", "BROKER_DEATHS", "DISCONNECTS", "LOSSES", "DUPS", "REORDERS");

  /** The assertion spin reports when an item is left unfinished on a device. */
  private static final String NOT_FINISHED = "ph[0]==";

  /** The assertion spin reports when a second delivery was not counted. */
  private static final String NOT_COUNTED = "delivered<=";

  /**
   * The assertion spin reports when an attempt under an overtaken grant delivered a second time.
   */
  private static final String OVERTAKEN_GRANT = "!(overtakenDelivered)";

  private static Path spin;
  private static Path gcc;

  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    spin = SystemComponents.requireCommand("spin", "spin");
    gcc = SystemComponents.requireCommand("gcc", "gcc");
  }

  @Test
  void holdsWithoutFaults() throws Exception {
    Result r = check(onlyFault("none"));
    assertHolds(r);
  }

  @ParameterizedTest
  @ValueSource(strings = {"LOSSES", "DUPS", "REORDERS", "BROKER_DEATHS"})
  void holdsUnderOneFault(String kind) throws Exception {
    Result r = check(onlyFault(kind));
    assertHolds(r);
  }

  @Test
  void holdsUnderACrash() throws Exception {
    List<String> defines = onlyFault("CRASHES");
    defines.add("-DTEMPS=0"); // a crash at any step; every final dot is answered
    defines.add("-DAMBIGS=0");
    Result r = check(defines);
    assertHolds(r);
  }

  @Test
  void withTheMarkWrittenAfterTheDotACrashLeavesADuplicateUncounted() throws Exception {
    List<String> defines = onlyFault("CRASHES");
    defines.add("-DTEMPS=0");
    defines.add("-DAMBIGS=0");
    defines.add("-DNO_MARK");
    Result r = check(defines);
    assertThat(r.errors).as(r.output).isPositive();
    assertThat(r.violated).as(r.output).contains(NOT_COUNTED);
  }

  @Test
  void withoutReannouncementALostTurnLeavesBothDevicesWaiting() throws Exception {
    List<String> defines = onlyFault("BROKER_DEATHS");
    defines.add("-DNO_REANNOUNCE");
    Result r = check(defines);
    assertThat(r.errors).as(r.output).isPositive();
    assertThat(r.violated).as(r.output).contains(NOT_FINISHED);
  }

  @Test
  void withoutCountingASecondPathTwoDeliveriesGoUncounted() throws Exception {
    List<String> defines = onlyFault("DISCONNECTS");
    defines.add("-DNO_SECOND_PATH");
    Result r = check(defines);
    assertThat(r.errors).as(r.output).isPositive();
    assertThat(r.violated).as(r.output).contains(NOT_COUNTED);
  }

  @Test
  void withOneCountPerItemMergedByTheLargerConcurrentAmbiguousAttemptsGoUncounted()
      throws Exception {
    List<String> defines = onlyFault("DISCONNECTS");
    defines.add("-DAMBIGS=2");
    defines.add("-DNO_PER_DEVICE");
    Result r = check(defines);
    assertThat(r.errors).as(r.output).isPositive();
    assertThat(r.violated).as(r.output).contains(NOT_COUNTED);
  }

  @Test
  void withoutAnnouncingOutcomesAgainALostOneLeavesASecondPathUncounted() throws Exception {
    List<String> defines = onlyFault("DISCONNECTS");
    defines.add("-DNO_OUTCOME_AGAIN");
    Result r = check(defines);
    assertThat(r.errors).as(r.output).isPositive();
    assertThat(r.violated).as(r.output).contains(NOT_COUNTED);
  }

  @Test
  void holdsWhenTheDongleCrashesAndAGrantWaitsForItAtTheBroker() throws Exception {
    Result r = check(dongleCrashWithAHandover());
    assertHolds(r);
  }

  @Test
  void withoutConfirmingAGrantTheDongleActsOnAnOvertakenTurnAndDeliversAgain() throws Exception {
    List<String> defines = dongleCrashWithAHandover();
    defines.add("-DNO_CONFIRM");
    Result r = check(defines);
    assertThat(r.errors).as(r.output).isPositive();
    assertThat(r.violated).as(r.output).contains(OVERTAKEN_GRANT);
  }

  @Test
  void withoutFencingTheDevicesCanEndUnfinished() throws Exception {
    List<String> defines = onlyFault("DISCONNECTS");
    defines.add("-DNO_FENCING");
    Result r = check(defines);
    assertThat(r.errors).as(r.output).isPositive();
    assertThat(r.violated).as(r.output).contains(NOT_FINISHED);
  }

  private static void assertHolds(Result r) {
    assertThat(r.output).contains("assertion violations\t+").contains("invalid end states\t+");
    assertThat(r.errors).as(r.output).isZero();
    assertThat(r.states).as(r.output).isPositive();
    System.out.printf(
        "send.pml %s: %d states, depth %d, %.1f s%n", r.defines, r.states, r.depth, r.seconds);
  }

  /**
   * One crash, of the dongle only, with the host's first attempt failing temporarily (so it passes
   * the turn) and every final dot answered; queues of four, so the broker's retained state and the
   * host's announcements are not lost for want of room in the model's queue (a loss besides the
   * crash).
   */
  private static List<String> dongleCrashWithAHandover() {
    List<String> d = onlyFault("CRASHES");
    d.add("-DCRASHING=1");
    d.add("-DAMBIGS=0");
    d.add("-DQCAP=4");
    return d;
  }

  /** Defines that leave one kind of fault (or none) in the model. */
  private static List<String> onlyFault(String kind) {
    List<String> d = new ArrayList<>();
    for (String k : FAULT_KINDS) {
      if (!k.equals(kind)) {
        d.add("-D" + k + "=0");
      }
    }
    d.add("-DFAULTS=1");
    return d;
  }

  private Result check(List<String> defines) throws IOException, InterruptedException {
    Files.copy(MODEL, dir.resolve("send.pml"));
    List<String> generate = new ArrayList<>(List.of(spin.toString(), "-a"));
    generate.addAll(defines);
    generate.add("send.pml");
    run(generate, 60);
    // NOCOMP: states are stored uncompressed (more memory, about a fifth less time)
    run(List.of(gcc.toString(), "-DSAFETY", "-DNOCOMP", "-o", "pan", "pan.c"), 120);
    long start = System.nanoTime();
    String out = run(List.of(dir.resolve("pan").toString(), "-m300000", "-w24", "-n"), 300);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(String.join(" ", defines), out, seconds);
  }

  private String run(List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "out", ".txt");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " ran over " + timeoutSeconds + " s");
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0
        && command.get(0).equals(gcc.toString())
        && out.contains(".h: No such")) {
      SystemComponents.unavailable(
          "gcc cannot compile spin's verifier: the C headers are missing (Debian package"
              + " 'libc6-dev'; './twinpath test' installs it)");
    }
    if (p.exitValue() != 0 && !command.get(0).endsWith("pan")) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  private static final class Result {
    final String defines;
    final String output;
    final double seconds;
    final long errors;
    final long states;
    final long depth;
    final String violated;

    Result(String defines, String output, double seconds) {
      this.defines = defines;
      this.output = output;
      this.seconds = seconds;
      this.errors = number(output, "errors: (\\d+)");
      this.states = number(output, "(\\d+) states, stored");
      this.depth = number(output, "depth reached (\\d+)");
      Matcher m = Pattern.compile("assertion violated (.*) \\(at depth").matcher(output);
      this.violated = m.find() ? m.group(1) : "";
    }

    private static long number(String text, String regex) {
      Matcher m = Pattern.compile(regex).matcher(text);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
  }
}
