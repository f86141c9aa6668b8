package io.twinpath.core.spool;

import java.nio.file.Path;

/**
 * A damaged or unfinished entry found when the spool was opened, and where it was moved.
 *
 * @param name the entry's name in the spool (e.g. {@code items/01JDQ4...})
 * @param reason what is wrong with it, as a sentence
 * @param quarantinedTo where it is now (under {@code quarantine/}), for a person to inspect
 */
public record SpoolProblem(String name, String reason, Path quarantinedTo) {
  @Override
  public String toString() {
    return name + ": " + reason + " (moved to " + quarantinedTo + ")";
  }
}
