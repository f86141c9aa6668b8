package io.twinpath.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks for system components (programs from Debian packages, root rights) that some tests need.
 *
 * <p>On a developer machine a missing component skips the test with a loud reason on stderr. When
 * the environment variable {@code CI} is {@code true}, a missing component fails the test: CI
 * installs everything, so absence there is a defect, never a silent skip.
 */
public final class SystemComponents {
  private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

  private SystemComponents() {}

  /** True when running under CI ({@code CI=true}). */
  public static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Finds an executable on PATH or in the sbin directories, without any check. */
  public static Optional<Path> findCommand(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        if (!d.isEmpty()) {
          dirs.add(d);
        }
      }
    }
    dirs.addAll(EXTRA_DIRS);
    for (String d : dirs) {
      Path candidate = Path.of(d, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the path of a required program; skips (locally) or fails (CI) the calling test when it
   * is missing.
   *
   * @param name program name, e.g. {@code mosquitto}
   * @param debianPackage the package that provides it, named in the message
   */
  public static Path requireCommand(String name, String debianPackage) {
    Optional<Path> found = findCommand(name);
    if (found.isEmpty()) {
      unavailable(
          "the program '"
              + name
              + "' is not installed (Debian package '"
              + debianPackage
              + "'; './twinpath test' installs it)");
    }
    return found.orElseThrow();
  }

  /** Requires root rights (network namespaces, veth); skips locally, fails under CI. */
  public static void requireRoot(String why) {
    String user = System.getProperty("user.name", "");
    if (!"root".equals(user)) {
      unavailable("root rights are needed " + why + " but the tests run as '" + user + "'");
    }
  }

  /**
   * Reports a missing component: aborts the test with a loud reason on a developer machine, fails
   * it under CI.
   */
  public static void unavailable(String reason) {
    if (onCi()) {
      Assertions.fail("CI=true and a required system component is missing: " + reason);
    }
    System.err.println("*** SKIPPED: " + reason + " ***");
    Assumptions.abort(reason);
  }
}
