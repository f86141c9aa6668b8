package io.twinpath.host.internal.config;

import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The XDG base directories (freedesktop.org Base Directory specification): where the config file
 * and the data (spool, outcomes) live. Relative values of the variables are ignored, as the
 * specification asks.
 */
public final class XdgDirs {
  private final Path home;
  private final Path configHome;
  private final Path dataHome;

  private XdgDirs(Path home, Path configHome, Path dataHome) {
    this.home = home;
    this.configHome = configHome;
    this.dataHome = dataHome;
  }

  /** From the process environment. */
  public static XdgDirs fromEnvironment() {
    return of(System.getenv(), System.getProperty("user.home", "/"));
  }

  /** From an explicit environment (tests). */
  public static XdgDirs of(Map<String, String> env, String userHome) {
    String h = env.get("HOME");
    Path home = Path.of(h != null && h.startsWith("/") ? h : userHome);
    return new XdgDirs(
        home,
        absoluteOr(env.get("XDG_CONFIG_HOME"), home.resolve(".config")),
        absoluteOr(env.get("XDG_DATA_HOME"), home.resolve(".local/share")));
  }

  private static Path absoluteOr(@Nullable String value, Path fallback) {
    return value != null && value.startsWith("/") ? Path.of(value) : fallback;
  }

  public Path home() {
    return home;
  }

  /** {@code $XDG_CONFIG_HOME/twinpath/host.conf}. */
  public Path defaultConfigFile() {
    return configHome.resolve("twinpath").resolve("host.conf");
  }

  /** {@code $XDG_DATA_HOME/twinpath}. */
  public Path dataDir() {
    return dataHome.resolve("twinpath");
  }
}
