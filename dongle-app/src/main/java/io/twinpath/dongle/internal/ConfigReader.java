package io.twinpath.dongle.internal;

import static io.twinpath.dongle.internal.DongleKeys.KEYS;
import static io.twinpath.dongle.internal.DongleKeys.SETTINGS;

import io.twinpath.core.config.RawSettings;
import io.twinpath.core.config.Secret;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.config.SettingValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The dongle's values by key with where each was set, read once through {@link
 * DongleKeys#SETTINGS}; unknown keys are rejected here.
 */
public final class ConfigReader {
  private final Map<String, String> values;
  private final RawSettings raw;
  private final SettingValues read;
  private final Map<String, String> env;
  private final @Nullable Path base;

  /**
   * @param sources where each key was set ({@code dongle.conf:12}, {@code --set}); keys without one
   *     are reported from {@code fallbackSource}
   * @param base the directory relative paths are resolved against, or null for the working one
   */
  public ConfigReader(
      Map<String, ?> values,
      Map<String, String> sources,
      String fallbackSource,
      Map<String, String> env,
      @Nullable Path base) {
    Map<String, String> v = new LinkedHashMap<>();
    RawSettings.Builder b = RawSettings.builder(fallbackSource);
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = e.getKey();
      String text = e.getValue() == null ? "" : String.valueOf(e.getValue()).strip();
      String source = sources.getOrDefault(key, fallbackSource);
      if (!KEYS.containsKey(key)) {
        throw new SettingException(
                key,
                text,
                "the key is unknown"
                    + DongleKeys.suggestion(key)
                    + "; the keys are listed in docs/dongle.md")
            .at(source);
      }
      v.put(key, text);
      b.put(key, text, source);
    }
    this.values = v;
    this.raw = b.build();
    this.env = env;
    this.base = base;
    this.read = SettingValues.read(raw, SETTINGS);
  }

  /** The value of {@code s}, or its default. */
  public <T> T value(Setting<T> s) {
    return read.require(s);
  }

  /** The value of {@code s} or its default, when there is one. */
  public <T> Optional<T> find(Setting<T> s) {
    return read.get(s);
  }

  String source(String key) {
    return raw.source(key);
  }

  /** A failure about {@code key} naming its value (hidden for a secret) and where it was set. */
  SettingException reject(String key, String accepted) {
    Optional<Setting<?>> s = SETTINGS.stream().filter(x -> x.key().equals(key)).findFirst();
    return s.isPresent() ? raw.reject(s.get(), accepted) : raw.reject(key, accepted);
  }

  /** Checks a secret against its setting's syntax; the value is never shown. */
  void check(Setting<String> setting, Secret secret) {
    try {
      setting.parse(new String(secret.chars()));
    } catch (SettingException e) {
      String key = setting.key();
      throw e.at(raw.isSet(key) ? raw.source(key) : raw.source(key + "-file"));
    }
  }

  boolean isSet(String key) {
    return !values.getOrDefault(key, "").isEmpty();
  }

  String raw(String key) {
    return values.getOrDefault(key, "");
  }

  String get(String key) {
    String v = values.getOrDefault(key, "");
    if (!v.isEmpty()) {
      return v;
    }
    if (key.equals("data.dir")) {
      return defaultDataDir();
    }
    String[] k = KEYS.get(key);
    return k == null ? "" : k[0];
  }

  /** A secret from {@code key} or from the file named by {@code key-file}. */
  @Nullable Secret secret(String key) {
    String inline = values.getOrDefault(key, "");
    String file = values.getOrDefault(key + "-file", "");
    if (!inline.isEmpty() && !file.isEmpty()) {
      throw reject(key + "-file", "set " + key + " or " + key + "-file, not both");
    }
    if (!file.isEmpty()) {
      Path p = resolve(file);
      try {
        String s = Files.readString(p, StandardCharsets.UTF_8);
        s = s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s;
        s = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return s.isEmpty() ? null : Secret.of(s);
      } catch (IOException | RuntimeException e) {
        throw reject(key + "-file", "name a readable file holding the secret on its first line");
      }
    }
    return inline.isEmpty() ? null : Secret.of(inline);
  }

  Path resolve(String v) {
    Path p = Path.of(v.startsWith("~/") ? home() + v.substring(1) : v);
    return p.isAbsolute() || base == null ? p : base.resolve(p);
  }

  private String home() {
    return env.getOrDefault("HOME", System.getProperty("user.home", "/"));
  }

  private String defaultDataDir() {
    String state = env.get("STATE_DIRECTORY");
    if (state != null && !state.isEmpty()) {
      return state.split(":")[0];
    }
    String xdg = env.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isEmpty()) {
      return Path.of(xdg, "twinpath-dongle").toString();
    }
    return Path.of(home(), ".local", "state", "twinpath-dongle").toString();
  }
}
