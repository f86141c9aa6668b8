package io.twinpath.core.engine;

import io.twinpath.core.engine.internal.SpoolItemStore;
import io.twinpath.core.smtp.CommitGate;
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

  /**
   * The same attempt, asking {@code beforeFinalDot} right before the final dot may go out (the
   * engine marks the item's record on disk there, so that a crash or a lost reply after it counts a
   * possible duplicate, and nothing before it does). A path that can say when its dot goes
   * overrides this; this default asks before the attempt starts, so the whole attempt counts as
   * past the dot.
   */
  default AttemptResult attempt(
      ItemMeta item, InputStream message, Set<String> skip, CommitGate beforeFinalDot) {
    try {
      if (!beforeFinalDot.mayCommit(SpoolItemStore.item(item))) {
        return AttemptResult.temporary("stood down before sending; nothing was delivered");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AttemptResult.temporary("interrupted before sending; nothing was delivered");
    }
    return attempt(item, message, skip);
  }
}
