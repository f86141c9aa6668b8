package io.twinpath.core.spool.internal;

import io.twinpath.core.spool.ItemState;
import io.twinpath.core.spool.SpoolProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The spool's {@code quarantine/} directory: entries found damaged when the spool opens are moved
 * there with a {@code reason.txt}, and recorded as {@link SpoolProblem}s.
 */
final class Quarantine {
  private final Path quarantine;
  private final Clock clock;
  private final List<SpoolProblem> problems = new ArrayList<>();

  Quarantine(Path quarantine, Clock clock) {
    this.quarantine = quarantine;
    this.clock = clock;
  }

  /** The problems found so far, in the order they were found. */
  List<SpoolProblem> problems() {
    return problems;
  }

  /** Keeps the item when only its state file is damaged: the state is quarantined on its own. */
  void checkState(Path entry, String name) throws IOException {
    Path state = entry.resolve(FileSpool.STATE);
    if (!Files.exists(state)) {
      return;
    }
    try {
      ItemState.ofJson(Files.readString(state, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | IOException e) {
      move(
          state,
          entry.getFileName() + "." + FileSpool.STATE,
          name + "/" + FileSpool.STATE,
          "damaged state, item kept without it: " + SpoolEntries.firstLine(e.getMessage()));
    }
  }

  void move(Path p, String name, String reason) throws IOException {
    move(p, p.getFileName().toString(), name, reason);
  }

  void move(Path p, String base, String name, String reason) throws IOException {
    Path target = quarantine.resolve(base);
    for (int i = 1; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
      target = quarantine.resolve(base + "." + i);
    }
    Durable.move(p, target, false);
    Path why =
        Files.isDirectory(target)
            ? target.resolve("reason.txt")
            : target.resolveSibling(target.getFileName() + ".reason.txt");
    Files.writeString(
        why, name + ": " + reason + "\nfound " + clock.instant() + "\n", StandardCharsets.UTF_8);
    problems.add(new SpoolProblem(name, reason, target));
  }
}
