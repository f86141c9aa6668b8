package io.twinpath.hw.modem.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A header line after which the modem sends a binary payload of a stated length, e.g. {@code
 * +CIPRXGET: 2,0,<read>,<rest>} or {@code +QIRD: <n>}.
 *
 * @param header the whole header line
 * @param lengthGroup the capturing group that holds the payload length in bytes
 * @param urc true when the header arrives unsolicited (push receive) and goes to a URC handler
 */
public record PayloadRule(Pattern header, int lengthGroup, boolean urc) {
  public static PayloadRule response(String regex, int lengthGroup) {
    return new PayloadRule(Pattern.compile(regex), lengthGroup, false);
  }

  public static PayloadRule unsolicited(String regex, int lengthGroup) {
    return new PayloadRule(Pattern.compile(regex), lengthGroup, true);
  }

  /** The payload length when {@code line} is such a header, else -1. */
  int length(String line) {
    Matcher m = header.matcher(line);
    if (!m.matches()) {
      return -1;
    }
    @Nullable String g = m.group(lengthGroup);
    if (g == null || g.length() > 9) {
      return -1;
    }
    return Integer.parseInt(g);
  }
}
