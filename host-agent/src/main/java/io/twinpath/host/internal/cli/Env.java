package io.twinpath.host.internal.cli;

import io.twinpath.host.internal.config.ConfigException;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.config.XdgDirs;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * What a command runs with: the XDG directories, the standard streams and the clock. Tests give
 * their own.
 *
 * @param dirs where the config file and data live by default
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param clock the clock
 */
public record Env(XdgDirs dirs, InputStream in, PrintStream out, PrintStream err, Clock clock) {
  /** The process's own environment. */
  public static Env system() {
    return new Env(XdgDirs.fromEnvironment(), System.in, System.out, System.err, Clock.systemUTC());
  }

  /** Loads the config file ({@code --config}, or the XDG default). */
  public HostConfig config(@Nullable Path explicit) throws ConfigException {
    return ConfigLoader.load(explicit, dirs);
  }
}
