package io.twinpath.hw.modem.internal;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The 3GPP {@code +CME ERROR} / {@code +CMS ERROR} codes the driver acts on, both ways. */
final class ErrorCodes {
  static final Map<Integer, String> CME =
      Map.ofEntries(
          Map.entry(3, "operation not allowed"),
          Map.entry(4, "operation not supported"),
          Map.entry(10, "SIM not inserted"),
          Map.entry(11, "SIM PIN required"),
          Map.entry(12, "SIM PUK required"),
          Map.entry(13, "SIM failure"),
          Map.entry(14, "SIM busy"),
          Map.entry(16, "incorrect password"),
          Map.entry(30, "no network service"),
          Map.entry(31, "network timeout"),
          Map.entry(100, "unknown"),
          Map.entry(107, "GPRS services not allowed"),
          Map.entry(148, "unspecified GPRS error"),
          Map.entry(149, "PDP authentication failure"));
  static final Map<Integer, String> CMS =
      Map.ofEntries(
          Map.entry(300, "ME failure"),
          Map.entry(302, "operation not allowed"),
          Map.entry(304, "invalid PDU mode parameter"),
          Map.entry(305, "invalid text mode parameter"),
          Map.entry(310, "SIM not inserted"),
          Map.entry(311, "SIM PIN required"),
          Map.entry(313, "SIM failure"),
          Map.entry(314, "SIM busy"),
          Map.entry(322, "memory full"),
          Map.entry(330, "SMSC address unknown"),
          Map.entry(331, "no network service"),
          Map.entry(332, "network timeout"),
          Map.entry(500, "unknown error"));

  private static final Pattern CODED = Pattern.compile("\\+(CME|CMS) ERROR: ?(.*)");

  private ErrorCodes() {}

  /** The numeric code of an error result, numeric or text (CMEE=2), or null. */
  static @Nullable Integer code(String result) {
    Matcher m = CODED.matcher(result);
    if (!m.matches()) {
      return null;
    }
    String v = m.group(2).trim();
    if (v.matches("\\d{1,5}")) {
      return Integer.parseInt(v);
    }
    Map<Integer, String> table = m.group(1).equals("CME") ? CME : CMS;
    for (Map.Entry<Integer, String> e : table.entrySet()) {
      if (e.getValue().toLowerCase(Locale.ROOT).equals(v.toLowerCase(Locale.ROOT))) {
        return e.getKey();
      }
    }
    return null;
  }

  /** A human explanation of an error result, e.g. "SIM not inserted", or the text as given. */
  static String explain(String result) {
    Matcher m = CODED.matcher(result);
    if (!m.matches()) {
      return result;
    }
    String v = m.group(2).trim();
    if (v.matches("\\d{1,5}")) {
      String t = (m.group(1).equals("CME") ? CME : CMS).get(Integer.parseInt(v));
      return t == null ? result : result + " (" + t + ")";
    }
    return result;
  }
}
