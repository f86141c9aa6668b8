package io.twinpath.core.config;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads one value syntax and checks its range; a rejected value fails with a {@link
 * SettingException} naming the key, the value and {@link #accepted()}. Built by {@link Values};
 * {@link #of} and {@link #map} make new ones.
 *
 * @param <T> the parsed value
 */
public final class ValueParser<T> {
  /** How a value is written, as far as a form needs to know. */
  public enum Kind {
    TEXT,
    INTEGER,
    BOOLEAN
  }

  private final String accepted;
  private final Function<String, T> fn;
  private final Kind kind;
  private final List<String> options;
  private final @Nullable Long min;
  private final @Nullable Long max;

  private ValueParser(
      String accepted,
      Function<String, T> fn,
      Kind kind,
      List<String> options,
      @Nullable Long min,
      @Nullable Long max) {
    this.accepted = Objects.requireNonNull(accepted, "accepted");
    this.fn = Objects.requireNonNull(fn, "fn");
    this.kind = kind;
    this.options = List.copyOf(options);
    this.min = min;
    this.max = max;
  }

  /**
   * A parser from a function that throws {@link IllegalArgumentException} for a rejected text (the
   * text arrives stripped of surrounding blanks).
   *
   * @param accepted what is accepted, as a sentence fragment ("use a TCP port, 1-65535")
   */
  public static <T> ValueParser<T> of(String accepted, Function<String, T> fn) {
    return new ValueParser<>(accepted, fn, Kind.TEXT, List.of(), null, null);
  }

  static <T> ValueParser<T> of(
      String accepted,
      Function<String, T> fn,
      Kind kind,
      List<String> options,
      @Nullable Long min,
      @Nullable Long max) {
    return new ValueParser<>(accepted, fn, kind, options, min, max);
  }

  /**
   * Reads {@code text} for {@code key}.
   *
   * @throws SettingException naming the key, the text and what is accepted
   */
  public T parse(String key, String text) {
    try {
      return fn.apply(text.strip());
    } catch (SettingException e) {
      throw e.key().equals(key) ? e : new SettingException(key, text, accepted);
    } catch (IllegalArgumentException e) {
      throw new SettingException(key, text, accepted);
    }
  }

  /**
   * A parser that reads this syntax, then converts or checks further; {@code then} throws {@link
   * IllegalArgumentException} to reject.
   *
   * @param accepted what is accepted after the further check
   */
  public <R> ValueParser<R> map(String accepted, Function<? super T, R> then) {
    return new ValueParser<>(accepted, s -> then.apply(fn.apply(s)), kind, options, min, max);
  }

  /** What is accepted, as a sentence fragment, e.g. "use a TCP port, 1-65535". */
  public String accepted() {
    return accepted;
  }

  public Kind kind() {
    return kind;
  }

  /** The accepted names for a choice, in order; empty for other syntaxes. */
  public List<String> options() {
    return options;
  }

  /** The smallest accepted integer, for {@link Kind#INTEGER}. */
  public OptionalLong min() {
    return min == null ? OptionalLong.empty() : OptionalLong.of(min);
  }

  /** The largest accepted integer, for {@link Kind#INTEGER}. */
  public OptionalLong max() {
    return max == null ? OptionalLong.empty() : OptionalLong.of(max);
  }

  @Override
  public String toString() {
    return "ValueParser[" + accepted + "]";
  }
}
