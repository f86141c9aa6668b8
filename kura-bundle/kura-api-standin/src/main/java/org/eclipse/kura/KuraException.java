package org.eclipse.kura;

import org.jspecify.annotations.Nullable;

/** Kura's checked exception, with its real constructors. */
public class KuraException extends Exception {
  private static final long serialVersionUID = 1L;

  protected final KuraErrorCode code;
  private final @Nullable Object @Nullable [] arguments;

  public KuraException(KuraErrorCode code) {
    this(code, null, (Object[]) null);
  }

  public KuraException(KuraErrorCode code, @Nullable Object @Nullable ... arguments) {
    this(code, null, arguments);
  }

  public KuraException(
      KuraErrorCode code, @Nullable Throwable cause, @Nullable Object @Nullable ... arguments) {
    super(code.name(), cause);
    this.code = code;
    this.arguments = arguments;
  }

  public KuraErrorCode getCode() {
    return code;
  }

  @Override
  public String getMessage() {
    Object[] args = arguments;
    return args == null || args.length == 0
        ? code.name()
        : code.name() + " " + java.util.Arrays.toString(args);
  }
}
