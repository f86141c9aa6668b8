package io.twinpath.host.internal.config;

import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parsed values by key, as one block (or one account with what it inherits) gives them; read
 * through the {@link HostKeys} settings, with their defaults.
 */
final class KeyValues {
  private final Map<String, Block.Entry> entries;
  private final String source;

  /**
   * @param source where a missing value is reported from (the block's first line)
   */
  KeyValues(Map<String, Block.Entry> entries, String source) {
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    this.source = source;
  }

  /** The value of {@code s}, or its default, or null when neither is there. */
  @SuppressWarnings("unchecked") // an entry's value was parsed by the setting under its key
  <T> @Nullable T find(Setting<T> s) {
    Block.Entry e = entries.get(s.key());
    return e != null ? (T) e.value() : s.defaultValue().orElse(null);
  }

  /**
   * The value of {@code s}, or its default.
   *
   * @throws IllegalStateException when it has neither (a setting without a default is read with
   *     {@link #find})
   */
  <T> T get(Setting<T> s) {
    T v = find(s);
    if (v == null) {
      throw new IllegalStateException(s.key() + " has no default");
    }
    return v;
  }

  /** True when the file sets {@code s}. */
  boolean has(Setting<?> s) {
    return entries.containsKey(s.key());
  }

  /** The line that sets {@code s}, or null. */
  Block.@Nullable Entry entry(Setting<?> s) {
    return entries.get(s.key());
  }

  Collection<Block.Entry> entries() {
    return entries.values();
  }

  /**
   * A failure about the value of {@code s}: from the line that sets it, or, for a default, from the
   * block.
   */
  SettingException reject(Setting<?> s, String accepted) {
    Block.Entry e = entries.get(s.key());
    if (e != null) {
      return e.reject(accepted);
    }
    String shown = s.defaultText().orElse("");
    SettingException x = new SettingException(s.key(), shown, accepted).at(source);
    return s.isSecret() ? x.hideValue() : x;
  }

  /** A failure: {@code s} is needed but not set. */
  SettingException missing(Setting<?> s, String accepted) {
    return SettingException.missing(s.key(), accepted).at(source);
  }
}
