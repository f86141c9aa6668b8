package io.twinpath.dongle;

import java.util.Arrays;

/** A password or PIN from the configuration. Never printed: {@link #toString()} hides it. */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value.clone();
  }

  public static Secret of(char[] value) {
    return new Secret(value);
  }

  public static Secret of(String value) {
    return new Secret(value.toCharArray());
  }

  /** A copy of the characters; callers may wipe it after use. */
  public char[] chars() {
    return value.clone();
  }

  public boolean isEmpty() {
    return value.length == 0;
  }

  /** Compares in time independent of where the first difference is. */
  public boolean matches(char[] other) {
    int diff = value.length ^ other.length;
    for (int i = 0; i < Math.max(value.length, other.length); i++) {
      char a = i < value.length ? value[i] : 0;
      char b = i < other.length ? other[i] : 0;
      diff |= a ^ b;
    }
    return diff == 0;
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
