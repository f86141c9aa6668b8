package io.twinpath.core.spool.internal;

import io.twinpath.core.spool.ItemState;
import io.twinpath.core.spool.SpoolProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's {@code quarantine/} directory: entries found damaged when the spool opens are moved
 * there with a {@code reason.txt}, and recorded as {@link SpoolProblem}s.
 *
 * <p>A quarantined entry expires with its item: the reason file records the item's expiry when the
 * description could be read, else the creation time its name (a ULID) carries plus {@code keep},
 * else the time it was found plus {@code keep}. {@link #expire} removes entries expired before a
 * cutoff.
 */
final class Quarantine {
  private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
  private static final String REASON = "reason.txt";
  private static final String EXPIRES = "expires ";
  private static final String FOUND = "found ";

  private final Path quarantine;
  private final Clock clock;
  private final Duration keep;
  private final List<SpoolProblem> problems = new ArrayList<>();

  Quarantine(Path quarantine, Clock clock, Duration keep) {
    this.quarantine = quarantine;
    this.clock = clock;
    this.keep = keep;
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
          "damaged state, item kept without it: " + SpoolEntries.firstLine(e.getMessage()),
          null);
    }
  }

  void move(Path p, String name, String reason) throws IOException {
    move(p, name, reason, null);
  }

  /** Moves a damaged entry; {@code expires} is its item's expiry when known. */
  void move(Path p, String name, String reason, @Nullable Instant expires) throws IOException {
    move(p, p.getFileName().toString(), name, reason, expires);
  }

  private void move(Path p, String base, String name, String reason, @Nullable Instant expires)
      throws IOException {
    Path target = quarantine.resolve(base);
    for (int i = 1; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
      target = quarantine.resolve(base + "." + i);
    }
    Durable.move(p, target, false);
    Instant now = clock.instant();
    Instant until = expires != null ? expires : createdFromName(base, now).plus(keep);
    Files.writeString(
        reasonFile(target),
        name + ": " + reason + "\n" + FOUND + now + "\n" + EXPIRES + until + "\n",
        StandardCharsets.UTF_8);
    problems.add(new SpoolProblem(name, reason, target));
  }

  private static Path reasonFile(Path entry) {
    return Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        ? entry.resolve(REASON)
        : entry.resolveSibling(entry.getFileName() + "." + REASON);
  }

  /** The creation time a ULID name carries (before any suffix), else {@code otherwise}. */
  private static Instant createdFromName(String base, Instant otherwise) {
    String ulid = base.length() >= 26 ? base.substring(0, 26) : base;
    try {
      return io.twinpath.core.item.ItemId.parse(ulid).createdAt();
    } catch (IllegalArgumentException e) {
      return otherwise;
    }
  }

  /**
   * Removes the quarantined entries (and their reason files) that expired before {@code cutoff}; an
   * entry without a readable expiry is kept for {@code keep} after its reason file was last
   * written. Returns how many were removed.
   */
  int expire(Instant cutoff) throws IOException {
    List<Path> entries;
    try (Stream<Path> s = Files.list(quarantine)) {
      entries = s.filter(p -> !p.getFileName().toString().endsWith("." + REASON)).toList();
    }
    int removed = 0;
    for (Path entry : entries) {
      Path why = reasonFile(entry);
      Instant until = expiry(why);
      if (until == null || !until.isBefore(cutoff)) {
        continue;
      }
      Durable.deleteTree(entry);
      Files.deleteIfExists(why);
      problems.removeIf(pr -> pr.quarantinedTo().equals(entry));
      LOG.info("spool quarantine: removed {} (kept until {})", entry.getFileName(), until);
      removed++;
    }
    return removed;
  }

  private @Nullable Instant expiry(Path why) throws IOException {
    if (!Files.exists(why)) {
      return null;
    }
    Instant found = null;
    for (String line : Files.readAllLines(why, StandardCharsets.UTF_8)) {
      try {
        if (line.startsWith(EXPIRES)) {
          return Instant.parse(line.substring(EXPIRES.length()).trim());
        }
        if (line.startsWith(FOUND)) {
          found = Instant.parse(line.substring(FOUND.length()).trim());
        }
      } catch (DateTimeParseException e) {
        // a hand-edited reason file: fall back to its modification time
      }
    }
    if (found == null) {
      found = Files.getLastModifiedTime(why).toInstant();
    }
    return found.plus(keep);
  }
}
