package io.twinpath.core.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Setting values as a front end read them (texts by key, each with where it came from), read
 * through {@link Setting}s: a rejected value fails with a {@link SettingException} that names its
 * source. Blank values count as unset. Immutable; later {@link Builder#put} calls for the same key
 * win (a {@code --set} over a file line).
 */
public final class RawSettings {
  private final Map<String, String> texts;
  private final Map<String, String> sources;
  private final String fallbackSource;

  private RawSettings(Builder b) {
    this.texts = Collections.unmodifiableMap(new LinkedHashMap<>(b.texts));
    this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(b.sources));
    this.fallbackSource = b.fallbackSource;
  }

  /**
   * @param source where a missing setting is reported from, e.g. the file name or {@code Kura
   *     configuration}
   */
  public static Builder builder(String source) {
    return new Builder(source);
  }

  /** Builder. */
  public static final class Builder {
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final String fallbackSource;

    private Builder(String fallbackSource) {
      this.fallbackSource = fallbackSource;
    }

    /**
     * @param source where this value was set: {@code dongle.conf:12}, {@code --set}, …
     */
    public Builder put(String key, String text, String source) {
      if (text.isBlank()) {
        texts.remove(key);
        sources.remove(key);
      } else {
        texts.put(key, text.strip());
        sources.put(key, source);
      }
      return this;
    }

    public RawSettings build() {
      return new RawSettings(this);
    }
  }

  /**
   * The value of {@code s}, or its default.
   *
   * @throws SettingException when the value is rejected, or it is unset and has no default
   */
  public <T> T get(Setting<T> s) {
    T v = find(s);
    if (v != null) {
      return v;
    }
    throw SettingException.missing(s.key(), s.parser().accepted()).at(fallbackSource);
  }

  /**
   * The value of {@code s}, or its default, or null when unset without one.
   *
   * @throws SettingException when the value is rejected
   */
  public <T> @Nullable T find(Setting<T> s) {
    String text = texts.get(s.key());
    if (text == null) {
      return s.defaultValue().orElse(null);
    }
    try {
      return s.parse(text);
    } catch (SettingException e) {
      throw e.at(source(s.key()));
    }
  }

  /** The value of {@code s} when it is set (defaults ignored). */
  public <T> Optional<T> ifSet(Setting<T> s) {
    return isSet(s.key()) ? Optional.ofNullable(find(s)) : Optional.empty();
  }

  /** True when {@code key} has a value that is not blank. */
  public boolean isSet(String key) {
    return texts.containsKey(key);
  }

  /** The text as given, when set. */
  public Optional<String> text(String key) {
    return Optional.ofNullable(texts.get(key));
  }

  /** Where {@code key} was set, or the source given to {@link #builder} when it was not. */
  public String source(String key) {
    return sources.getOrDefault(key, fallbackSource);
  }

  /** A failure about {@code key} in this source's shape (for checks across settings). */
  public SettingException reject(String key, String accepted) {
    String text = texts.get(key);
    SettingException e =
        text == null
            ? SettingException.missing(key, accepted)
            : new SettingException(key, text, accepted);
    return e.at(source(key));
  }

  /** A failure about setting {@code s} (its value hidden when it is a secret). */
  public SettingException reject(Setting<?> s, String accepted) {
    SettingException e = reject(s.key(), accepted);
    return s.isSecret() ? e.hideValue() : e;
  }

  /** The keys that are set, in the order they were given. */
  public Set<String> keys() {
    return texts.keySet();
  }

  /** The keys that are set but not among {@code known}, sorted. */
  public Set<String> unknown(Collection<String> known) {
    Set<String> out = new TreeSet<>(texts.keySet());
    out.removeAll(known);
    return Collections.unmodifiableSet(out);
  }

  @Override
  public String toString() {
    return "RawSettings" + texts.keySet();
  }
}
