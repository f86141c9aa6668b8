package io.twinpath.host.internal.submit;

import java.util.Objects;

/**
 * A message could not be queued. The {@link Kind} says whose problem it is, which decides the
 * sendmail exit status (sysexits) and the SMTP reply.
 */
public final class SubmitException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a message was not queued. */
  public enum Kind {
    /** Larger than {@code size_limit}: sysexits 65, SMTP 552 5.3.4. */
    TOO_LARGE(65, "552 5.3.4"),
    /** The message or its envelope is malformed: sysexits 65, SMTP 554 5.6.0. */
    BAD_MESSAGE(65, "554 5.6.0"),
    /** The spool directory cannot be created or written: sysexits 73, SMTP 451 4.3.0. */
    CANNOT_CREATE(73, "451 4.3.0"),
    /** A passing problem (disk full, I/O error): sysexits 75, SMTP 451 4.3.0. */
    TEMPORARY(75, "451 4.3.0");

    private final int exitCode;
    private final String smtpReply;

    Kind(int exitCode, String smtpReply) {
      this.exitCode = exitCode;
      this.smtpReply = smtpReply;
    }

    /** The sysexits.h code the sendmail command exits with. */
    public int exitCode() {
      return exitCode;
    }

    /** The SMTP reply code and enhanced status code, e.g. {@code 451 4.3.0}. */
    public String smtpReply() {
      return smtpReply;
    }
  }

  private final Kind kind;

  public SubmitException(Kind kind, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.kind = kind;
  }

  public SubmitException(Kind kind, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = kind;
  }

  /** The message given when it was thrown; never null. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "message");
  }

  public Kind kind() {
    return kind;
  }
}
