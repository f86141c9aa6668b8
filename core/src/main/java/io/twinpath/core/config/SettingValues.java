package io.twinpath.core.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings read once: every setting of a table parsed from {@link RawSettings} (its value, or its
 * default), so a bad value fails at start and nothing is parsed twice. Settings are matched by key,
 * so a front end may read a table setting with its own default ({@link Setting#withDefault}).
 */
public final class SettingValues {
  private final RawSettings raw;
  private final Map<String, Object> values;

  private SettingValues(RawSettings raw, Map<String, Object> values) {
    this.raw = raw;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Parses each of {@code settings} from {@code raw}, in order.
   *
   * @throws SettingException for the first value that is not accepted, naming where it was set
   */
  public static SettingValues read(RawSettings raw, Collection<? extends Setting<?>> settings) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      Object v = raw.find(s);
      if (v != null) {
        values.put(s.key(), v);
      }
    }
    return new SettingValues(raw, values);
  }

  /** The value (or default) of {@code s}; empty when it is unset and has no default. */
  public <T> Optional<T> get(Setting<T> s) {
    Object v = values.get(s.key());
    if (v == null) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked") // stored under this key by a setting of the same type
    T t = (T) v;
    return Optional.of(t);
  }

  /**
   * The value (or default) of {@code s}.
   *
   * @throws SettingException naming the source when it is unset and has no default
   */
  public <T> T require(Setting<T> s) {
    return get(s)
        .orElseThrow(
            () -> SettingException.missing(s.key(), s.parser().accepted()).at(raw.source(s.key())));
  }

  /** True when {@code s} was given (not only defaulted). */
  public boolean isSet(Setting<?> s) {
    return raw.isSet(s.key());
  }

  /** The texts as given, with where each came from (for checks across settings). */
  public RawSettings raw() {
    return raw;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SettingValues && ((SettingValues) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "SettingValues" + values.keySet();
  }
}
