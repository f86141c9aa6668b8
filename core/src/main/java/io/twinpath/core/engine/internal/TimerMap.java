package io.twinpath.core.engine.internal;

import io.twinpath.core.engine.Scheduler;
import io.twinpath.core.item.ItemId;
import java.util.HashMap;
import java.util.Map;

/** One kind of per-item timer (backoff, takeover, expiry): at most one running per item. */
final class TimerMap {
  private final Map<ItemId, Scheduler.Cancellable> timers = new HashMap<>();

  boolean has(ItemId id) {
    return timers.containsKey(id);
  }

  /** Starts {@code timer} for the item, replacing (and cancelling) the one running. */
  void put(ItemId id, Scheduler.Cancellable timer) {
    cancel(id);
    timers.put(id, timer);
  }

  /** Forgets the item's timer without cancelling it (it fired). */
  void remove(ItemId id) {
    timers.remove(id);
  }

  void cancel(ItemId id) {
    Scheduler.Cancellable t = timers.remove(id);
    if (t != null) {
      t.cancel();
    }
  }
}
