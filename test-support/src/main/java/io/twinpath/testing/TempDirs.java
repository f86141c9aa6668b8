package io.twinpath.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the private directories that test fixtures create under the system temp directory. */
public final class TempDirs {
  private TempDirs() {}

  /**
   * Deletes {@code dir} and everything below it; a missing directory is fine. Fails with the path
   * that could not be removed, so a leak is noticed instead of filling the disk.
   */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (NoSuchFileException gone) {
          // removed meanwhile by the process that wrote it
        }
      }
    } catch (NoSuchFileException gone) {
      // removed meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the test directory " + dir, e);
    }
  }
}
