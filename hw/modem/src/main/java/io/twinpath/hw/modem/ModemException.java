package io.twinpath.hw.modem;

import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An AT command failed: the modem answered with an error result, or did not answer in time. The
 * message names the command (secrets such as a PIN are never included) and the modem's answer.
 */
public class ModemException extends IOException {
  private final String command;
  private final String result;
  private final @Nullable Integer errorCode;
  private final boolean timeout;

  public ModemException(
      String message,
      String command,
      String result,
      @Nullable Integer errorCode,
      boolean timeout,
      @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.command = command;
    this.result = result;
    this.errorCode = errorCode;
    this.timeout = timeout;
  }

  public ModemException(String message, String command, String result) {
    this(message, command, result, null, false, null);
  }

  /** The message given when it was thrown; never null. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "message");
  }

  /** The command as it may be logged, e.g. {@code AT+CPIN=<hidden>}. */
  public String command() {
    return command;
  }

  /** The modem's final answer, e.g. {@code +CME ERROR: 10}, or {@code timeout}. */
  public String result() {
    return result;
  }

  /** The numeric code of a {@code +CME ERROR}/{@code +CMS ERROR}/vendor error, when given. */
  public @Nullable Integer errorCode() {
    return errorCode;
  }

  /** True when the modem gave no final answer in time. */
  public boolean isTimeout() {
    return timeout;
  }
}
