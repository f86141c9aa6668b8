package io.twinpath.core;

/** Text from outside, made safe to log or show: control characters escaped, length capped. */
public final class Printable {
  private static final int DEFAULT_MAX = 120;

  private Printable() {}

  /** At most 120 characters; control characters as {@code \xNN}; cut text ends with "…". */
  public static String of(String s) {
    return of(s, DEFAULT_MAX);
  }

  /** At most {@code max} characters; control characters as {@code \xNN}; cut text ends with "…". */
  public static String of(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < max; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > max) {
      b.append('…');
    }
    return b.toString();
  }
}
