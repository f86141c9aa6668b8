package io.twinpath.hw.modem.internal;

import io.twinpath.hw.modem.ModemException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** How the engine shows modem lines in logs and in the errors of a step. */
final class AtText {
  private AtText() {}

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 120; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '.');
    }
    return b.toString();
  }

  /** No final result (or no {@code >} prompt) within the step's timeout. */
  static ModemException timeout(AtStep step, String display, boolean prompted, List<String> lines) {
    return new ModemException(
        "the modem gave no "
            + (prompted ? "final result" : "'>' prompt")
            + " to "
            + display
            + " within "
            + step.timeout().toMillis()
            + " ms"
            + (lines.isEmpty() ? "" : " (got " + summary(lines) + ")"),
        display,
        "timeout",
        null,
        true,
        null);
  }

  /** {@code line} matched one of the step's failure patterns. */
  static ModemException failed(String display, String line, List<String> lines) {
    return new ModemException(
        display
            + " failed: "
            + ErrorCodes.explain(line)
            + (lines.isEmpty() ? "" : " (after " + summary(lines) + ")"),
        display,
        line,
        errorCode(line, lines),
        false,
        null);
  }

  static @Nullable Integer errorCode(String line, List<String> lines) {
    Integer c = ErrorCodes.code(line);
    if (c != null) {
      return c;
    }
    for (String l : lines) {
      Matcher m = Pattern.compile("\\+[A-Z]+: ?\\d+,(\\d+)").matcher(l);
      if (m.matches()) {
        return Integer.parseInt(m.group(1));
      }
    }
    return null;
  }

  static String summary(List<String> lines) {
    List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
    List<String> p = new ArrayList<>();
    for (String l : tail) {
      p.add(printable(l));
    }
    return String.join(" | ", p);
  }
}
