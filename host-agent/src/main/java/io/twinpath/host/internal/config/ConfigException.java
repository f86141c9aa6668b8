package io.twinpath.host.internal.config;

/**
 * A configuration file that cannot be used. The message is one sentence for the user: where (file
 * and line), which key, the value (never for secrets) and what is accepted.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
