package io.twinpath.core.config;

import io.twinpath.core.Printable;
import org.jspecify.annotations.Nullable;

/**
 * A setting that cannot be used, in one shape for every front end: where it was set (a file and
 * line, {@code Kura configuration}, {@code --set}; empty when not known), the key, the value (never
 * a secret's) and what is accepted, e.g. {@code dongle.conf:12: sms.delay = '90d' is not accepted:
 * use a duration like 30s, 5m, 2h or 7d, from 1m to 7d}.
 */
public final class SettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String key;
  private final @Nullable String value;
  private final boolean hidden;
  private final String accepted;

  /**
   * @param value the rejected value, or null when the setting is missing
   */
  public SettingException(String key, @Nullable String value, String accepted) {
    this("", key, value, false, accepted, null);
  }

  private SettingException(
      String source,
      String key,
      @Nullable String value,
      boolean hidden,
      String accepted,
      @Nullable Throwable cause) {
    super(message(source, key, value, hidden, accepted), cause);
    this.source = source;
    this.key = key;
    this.value = hidden ? null : value;
    this.hidden = hidden;
    this.accepted = accepted;
  }

  /** A required setting that is not set. */
  public static SettingException missing(String key, String accepted) {
    return new SettingException("", key, null, false, accepted, null);
  }

  /** A secret setting whose value is not accepted; the value is never kept or shown. */
  public static SettingException hidden(String key, String accepted) {
    return new SettingException("", key, null, true, accepted, null);
  }

  /** The same failure, said to come from {@code source} (a file and line, {@code --set}, …). */
  public SettingException at(String source) {
    SettingException e = new SettingException(source, key, value, hidden, accepted, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  /** The same failure with its value hidden (for a secret setting). */
  public SettingException hideValue() {
    if (hidden || value == null) {
      return this;
    }
    return new SettingException(source, key, null, true, accepted, getCause());
  }

  private static String message(
      String source, String key, @Nullable String value, boolean hidden, String accepted) {
    String at = source.isEmpty() ? "" : source + ": ";
    if (hidden) {
      return at + key + " = (hidden) is not accepted: " + accepted;
    }
    if (value == null) {
      return at + key + " is missing: " + accepted;
    }
    return at + key + " = '" + Printable.of(value) + "' is not accepted: " + accepted;
  }

  /** Where the value was set, or empty when not known. */
  public String source() {
    return source;
  }

  public String key() {
    return key;
  }

  /** The rejected value, or null when the setting was missing or is a secret. */
  public @Nullable String value() {
    return value;
  }

  /** True when the rejected value is a secret's and is not shown. */
  public boolean isHidden() {
    return hidden;
  }

  /** What would be accepted, as a sentence fragment. */
  public String accepted() {
    return accepted;
  }
}
