package io.twinpath.dongle;

import org.jspecify.annotations.Nullable;

/**
 * A configuration value that cannot be used. The message names the key, the value (hidden for
 * secrets) and what is accepted, e.g. {@code smtp.port = 99999 is not accepted: use a TCP port
 * 1-65535}.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final @Nullable String value;

  public ConfigException(String key, @Nullable String value, String accepted) {
    super(message(key, value, accepted));
    this.key = key;
    this.value = value;
  }

  private static String message(String key, @Nullable String value, String accepted) {
    if (value == null) {
      return key + " is missing: " + accepted;
    }
    return key + " = " + shown(key, value) + " is not accepted: " + accepted;
  }

  /** Secrets are never echoed. */
  static String shown(String key, String value) {
    if (isSecret(key)) {
      return "(hidden)";
    }
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < value.length() && i < 120; i++) {
      char c = value.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return b.append(value.length() > 120 ? "...'" : "'").toString();
  }

  static boolean isSecret(String key) {
    return key.endsWith("password") || key.endsWith(".pin");
  }

  /** The configuration key at fault. */
  public String key() {
    return key;
  }

  /** The rejected value, or null when the key was missing. Null as well for secrets. */
  public @Nullable String value() {
    return isSecret(key) ? null : value;
  }
}
