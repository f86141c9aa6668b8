package io.twinpath.dongle.internal;

import io.twinpath.core.config.SettingException;
import io.twinpath.dongle.DongleConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds and reads the configuration: {@code --config FILE}, else the default file if one exists,
 * else the built-in defaults; then applies {@code --set key=value} overrides.
 */
public final class ConfigSource {
  private ConfigSource() {}

  /** Thrown when a named config file cannot be read (not for bad values). */
  public static final class Unreadable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  public static DongleConfig load(
      @Nullable Path explicit, List<String> overrides, Map<String, String> env) throws IOException {
    Optional<Path> file = explicit != null ? Optional.of(explicit) : DongleConfig.defaultFile(env);
    Map<String, String> extra = parseOverrides(overrides);
    if (file.isEmpty()) {
      return DongleConfig.fromOverrides(extra, env);
    }
    Path f = file.get();
    if (!Files.isRegularFile(f)) {
      throw new Unreadable(
          "the config file "
              + f
              + " does not exist; create it (see docs/dongle.md) or leave out"
              + " --config to run on defaults",
          null);
    }
    try {
      return DongleConfig.load(f, extra, env);
    } catch (NoSuchFileException e) {
      throw new Unreadable("the config file " + f + " does not exist", e);
    }
  }

  private static Map<String, String> parseOverrides(List<String> overrides) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new SettingException("--set", o, "write key=value, e.g. --set broker.port=1884");
      }
      m.put(o.substring(0, eq).strip(), o.substring(eq + 1).strip());
    }
    return m;
  }
}
