package io.twinpath.core.engine.internal;

import io.twinpath.core.item.ItemId;
import java.time.Duration;

/** The expiry timer of each unfinished item: when it fires, the item expires (EXPIRED). */
final class ExpiryTimer {
  private final EngineParts e;
  private final TimerMap timers = new TimerMap();

  ExpiryTimer(EngineParts e) {
    this.e = e;
  }

  void schedule(ItemRecord r) {
    ItemId id = r.meta.id();
    Duration left = Duration.between(e.clock.instant(), r.meta.expiresAt());
    if (left.isNegative()) {
      left = Duration.ZERO;
    }
    timers.put(
        id,
        e.scheduler.schedule(
            left,
            () ->
                e.loop.post(
                    () -> {
                      timers.remove(id);
                      ItemRecord x = e.records.get(id);
                      if (x != null && x.phase != Phase.DONE) {
                        e.machine.fire(x, Trigger.EXPIRED);
                      }
                    })));
  }

  void cancel(ItemId id) {
    timers.cancel(id);
  }
}
