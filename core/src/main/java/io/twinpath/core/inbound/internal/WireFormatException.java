package io.twinpath.core.inbound.internal;

/** A payload that does not follow the inbound wire format; the message says what is wrong. */
public final class WireFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }
}
