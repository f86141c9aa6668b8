package io.twinpath.core.engine;

import java.io.InputStream;
import java.util.Set;

/**
 * One device's own route to the SMTP submission server. {@link Coordinator.Builder#sender} adapts
 * the SMTP sender; the modem path plugs in the same way.
 */
@FunctionalInterface
public interface SendPath {
  /**
   * Sends the item's exact bytes to every envelope recipient not in {@code skip} (recipients
   * already accepted, or refused for good, by some path). Never throws for SMTP or network
   * failures: it classifies them.
   */
  AttemptResult attempt(ItemMeta item, InputStream message, Set<String> skip);
}
