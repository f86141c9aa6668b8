package io.twinpath.kura.internal;

import java.util.Arrays;

/** A decrypted password or PIN. Never printed: {@link #toString()} hides it. */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value.clone();
  }

  public static Secret of(char[] value) {
    return new Secret(value);
  }

  /** A copy of the characters; callers may wipe it after use. */
  public char[] chars() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret && Arrays.equals(((Secret) o).value, value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "(hidden)";
  }
}
