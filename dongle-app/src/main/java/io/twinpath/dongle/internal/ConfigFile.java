package io.twinpath.dongle.internal;

import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a dongle file of {@code key = value} lines ({@code #} or {@code ;} starts a comment line, a
 * value may be in double quotes), noting the line each key was set on, then applies overrides (they
 * win over the file and are reported from {@code --set}).
 */
public final class ConfigFile {
  private ConfigFile() {}

  /** The file's values and the overrides, read through the dongle's settings. */
  public static ConfigReader read(Path file, Map<String, String> overrides, Map<String, String> env)
      throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      String at = file + ":" + (i + 1);
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new SettingException(
                "line", line, "write one setting a line as key = value (a # line is a comment)")
            .at(at);
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (values.containsKey(key)) {
        String accepted =
            "the key is set twice (lines "
                + Objects.requireNonNull(sources.get(key), key)
                    .substring(file.toString().length() + 1)
                + " and "
                + (i + 1)
                + "); keep one";
        throw (isSecret(key)
                ? SettingException.hidden(key, accepted)
                : new SettingException(key, value, accepted))
            .at(at);
      }
      values.put(key, value);
      sources.put(key, at);
    }
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      values.put(o.getKey(), o.getValue());
      sources.put(o.getKey(), "--set");
    }
    return new ConfigReader(
        values, sources, file.toString(), env, file.toAbsolutePath().getParent());
  }

  private static boolean isSecret(String key) {
    for (Setting<?> s : DongleKeys.SETTINGS) {
      if (s.key().equals(key)) {
        return s.isSecret();
      }
    }
    return false;
  }
}
