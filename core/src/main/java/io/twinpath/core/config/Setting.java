package io.twinpath.core.config;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One setting, declared once: its key, how its value is read and checked, its default (as a user
 * would write it), what it means, and whether it is a secret. Immutable; {@link #withDefault} and
 * {@link #asSecret} give changed copies.
 *
 * @param <T> the parsed value
 */
public final class Setting<T> {
  private final String key;
  private final ValueParser<T> parser;
  private final @Nullable String defaultText;
  private final @Nullable T defaultValue;
  private final String doc;
  private final boolean secret;

  private Setting(
      String key, ValueParser<T> parser, @Nullable String defaultText, String doc, boolean secret) {
    this.key = Objects.requireNonNull(key, "key");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.doc = Objects.requireNonNull(doc, "doc");
    this.secret = secret;
    this.defaultText = defaultText;
    // a default that its own parser rejects is a programming error: fail when declared
    this.defaultValue =
        defaultText == null || defaultText.isBlank() ? null : parser.parse(key, defaultText);
  }

  /** A setting without a default (unset unless given). */
  public static <T> Setting<T> of(String key, ValueParser<T> parser, String doc) {
    return new Setting<>(key, parser, null, doc, false);
  }

  /**
   * The same setting with a default, written as a user would write it ({@code 30s}); an empty text
   * means "unset".
   *
   * @throws SettingException when the parser rejects the default
   */
  public Setting<T> withDefault(String text) {
    return new Setting<>(key, parser, text, doc, secret);
  }

  /** The same setting as a secret: its value is never shown. */
  public Setting<T> asSecret() {
    return new Setting<>(key, parser, defaultText, doc, true);
  }

  public String key() {
    return key;
  }

  public ValueParser<T> parser() {
    return parser;
  }

  /** The default as written ({@code 30s}); empty when the setting has none. */
  public Optional<String> defaultText() {
    return Optional.ofNullable(defaultText);
  }

  /** The parsed default; empty when there is none (or it is the empty text). */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String doc() {
    return doc;
  }

  public boolean isSecret() {
    return secret;
  }

  /**
   * Reads a value of this setting.
   *
   * @throws SettingException naming the key, the value (hidden for a secret) and what is accepted
   */
  public T parse(String text) {
    try {
      return parser.parse(key, text);
    } catch (SettingException e) {
      throw secret ? e.hideValue() : e;
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
