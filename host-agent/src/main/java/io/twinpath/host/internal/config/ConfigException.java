package io.twinpath.host.internal.config;

import io.twinpath.core.config.SettingException;
import org.jspecify.annotations.Nullable;

/**
 * A configuration that cannot be used. The message is one sentence for the user; for a setting it
 * is the {@link SettingException}'s: where (file and line), which key, the value (never a
 * password's) and what is accepted.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A setting that is not accepted. */
  public ConfigException(SettingException cause) {
    super(cause.getMessage(), cause);
  }

  /** The setting that is not accepted, or null when the failure is not about one setting. */
  public @Nullable SettingException setting() {
    return getCause() instanceof SettingException ? (SettingException) getCause() : null;
  }
}
