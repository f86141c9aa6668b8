package io.twinpath.secondary;

import org.jspecify.annotations.Nullable;

/**
 * A setting that cannot be used: names the key, the value (never a password's) and what is
 * accepted, e.g. {@code inbound.tls = 'tls' is not accepted: use implicit, starttls or none}. Front
 * ends read {@link #key()}, {@link #value()} and {@link #accepted()} to word it their way.
 */
public final class SettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final @Nullable String value;
  private final String accepted;

  /**
   * @param value the rejected value, or null when the setting is missing
   */
  public SettingException(String key, @Nullable String value, String accepted) {
    super(
        value == null
            ? key + " is missing: " + accepted
            : key + " = '" + value + "' is not accepted: " + accepted);
    this.key = key;
    this.value = value;
    this.accepted = accepted;
  }

  public String key() {
    return key;
  }

  /** The rejected value, or null when the setting was missing. */
  public @Nullable String value() {
    return value;
  }

  /** What would be accepted, as a sentence fragment. */
  public String accepted() {
    return accepted;
  }
}
