package io.twinpath.core.wire;

/** A payload or command field that is not what the protocol defines; the message says what. */
public final class MalformedCommandException extends Exception {
  public MalformedCommandException(String message) {
    super(message);
  }
}
