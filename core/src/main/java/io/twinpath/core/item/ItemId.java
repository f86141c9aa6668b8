package io.twinpath.core.item;

import io.twinpath.core.Printable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A time-ordered, 128-bit item id in ULID form: 48 bits of Unix milliseconds and 80 random bits,
 * written as 26 Crockford base-32 characters. Ids sort by creation time as plain strings, so a
 * spool directory listing is already in queue order.
 */
public final class ItemId implements Comparable<ItemId> {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final int LENGTH = 26;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String text;

  private ItemId(String text) {
    this.text = text;
  }

  /** A new id for the current time of {@code clock}. */
  public static ItemId generate(Clock clock) {
    long millis = clock.millis();
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    char[] out = new char[LENGTH];
    // 48-bit time in the first 10 characters (50 bits, top 2 always zero)
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    // 80 random bits in the last 16 characters
    long hi = 0;
    for (int i = 0; i < 5; i++) {
      hi = (hi << 8) | (random[i] & 0xff);
    }
    long lo = 0;
    for (int i = 5; i < 10; i++) {
      lo = (lo << 8) | (random[i] & 0xff);
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new ItemId(new String(out));
  }

  /**
   * Parses an id; lower case is accepted and normalised.
   *
   * @throws IllegalArgumentException naming the value when it is not a 26-character ULID
   */
  public static ItemId parse(String text) {
    Objects.requireNonNull(text, "item id");
    String upper = text.toUpperCase(java.util.Locale.ROOT);
    if (upper.length() != LENGTH) {
      throw new IllegalArgumentException(
          "item id '"
              + printable(text)
              + "' has "
              + text.length()
              + " characters; a ULID has 26 (e.g. 01JDQ4Z8X3K2M7N9P0QRSTVWXY)");
    }
    for (int i = 0; i < LENGTH; i++) {
      if (indexOf(upper.charAt(i)) < 0) {
        throw new IllegalArgumentException(
            "item id '"
                + printable(text)
                + "' has '"
                + printable(String.valueOf(text.charAt(i)))
                + "' at position "
                + (i + 1)
                + "; only Crockford base-32 (0-9, A-Z without I, L, O, U) is allowed");
      }
    }
    if (indexOf(upper.charAt(0)) > 7) {
      throw new IllegalArgumentException(
          "item id '" + text + "' is out of range: the first character must be 0-7");
    }
    return new ItemId(upper);
  }

  /** The creation time encoded in the id. */
  public Instant createdAt() {
    long millis = 0;
    for (int i = 0; i < 10; i++) {
      millis = (millis << 5) | indexOf(text.charAt(i));
    }
    return Instant.ofEpochMilli(millis);
  }

  private static int indexOf(char c) {
    for (int i = 0; i < ALPHABET.length; i++) {
      if (ALPHABET[i] == c) {
        return i;
      }
    }
    return -1;
  }

  static String printable(String s) {
    return Printable.of(s, 80);
  }

  @Override
  public int compareTo(ItemId o) {
    return text.compareTo(o.text);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemId && ((ItemId) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
