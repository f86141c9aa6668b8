package io.twinpath.hw.modem.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The unsolicited result codes the engine knows, each a whole-line pattern and its handler. */
final class UrcTable {
  private static final Logger LOG = LoggerFactory.getLogger(AtEngine.class);

  private record Urc(Pattern pattern, AtEngine.UrcHandler handler) {}

  private final List<Urc> urcs = new CopyOnWriteArrayList<>();

  void add(String regex, AtEngine.UrcHandler handler) {
    urcs.add(new Urc(Pattern.compile(regex), handler));
  }

  /** Hands {@code line} to the first matching handler; false when none matches. */
  boolean dispatch(String line, byte @Nullable [] payload) {
    for (Urc u : urcs) {
      Matcher m = u.pattern().matcher(line);
      if (m.matches()) {
        LOG.debug("URC {}", line);
        try {
          u.handler().handle(m, payload);
        } catch (RuntimeException e) {
          LOG.warn("URC handler for '{}' failed: {}", line, e.toString());
        }
        return true;
      }
    }
    return false;
  }
}
