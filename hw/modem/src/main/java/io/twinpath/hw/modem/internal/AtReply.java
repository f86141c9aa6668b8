package io.twinpath.hw.modem.internal;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a step got: the intermediate lines, the line that ended it, and any binary payloads (each
 * with its header line).
 */
public record AtReply(List<String> lines, String result, List<Payload> payloads) {
  /** A binary payload read by length after its header. */
  public record Payload(String header, byte[] data) {}

  /** The first intermediate line (or the result) that matches {@code regex} as a whole. */
  public Optional<Matcher> find(String regex) {
    Pattern p = Pattern.compile(regex);
    for (String l : lines) {
      Matcher m = p.matcher(l);
      if (m.matches()) {
        return Optional.of(m);
      }
    }
    Matcher m = p.matcher(result);
    return m.matches() ? Optional.of(m) : Optional.empty();
  }

  /** The result line matched against {@code regex}. */
  public Optional<Matcher> resultMatch(String regex) {
    Matcher m = Pattern.compile(regex).matcher(result);
    return m.matches() ? Optional.of(m) : Optional.empty();
  }
}
