package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The configured device order and what this device knows of the others' presence (from their
 * retained state and last will). Engine thread only.
 */
final class Peers {
  private final DeviceId self;
  private final List<DeviceId> order;
  private final int selfIndex;
  private final List<DeviceId> others;
  private final Map<DeviceId, Boolean> presence = new HashMap<>();
  private final Map<DeviceId, Long> presenceConn = new HashMap<>();

  Peers(DeviceId self, List<DeviceId> order) {
    this.self = self;
    this.order = List.copyOf(order);
    this.selfIndex = order.indexOf(self);
    List<DeviceId> o = new ArrayList<>(order);
    o.remove(self);
    this.others = List.copyOf(o);
  }

  DeviceId self() {
    return self;
  }

  int selfIndex() {
    return selfIndex;
  }

  List<DeviceId> order() {
    return order;
  }

  /** Every device of the order but this one, in order. */
  List<DeviceId> others() {
    return others;
  }

  boolean inOrder(DeviceId d) {
    return order.contains(d);
  }

  /** The index of {@code d} in the order, -1 when not in it. */
  int indexOf(DeviceId d) {
    return order.indexOf(d);
  }

  boolean isOnline(@Nullable DeviceId d) {
    return d != null && Boolean.TRUE.equals(presence.get(d));
  }

  /** Online, offline, or null when nothing was heard of it yet. */
  @Nullable Boolean state(DeviceId d) {
    return presence.get(d);
  }

  /** The connection number last heard of {@code d}, -1 when none. */
  long lastConnection(DeviceId d) {
    return presenceConn.getOrDefault(d, -1L);
  }

  /** Records a state heard of {@code d}; returns whether its presence changed. */
  boolean update(DeviceId d, boolean online, long conn) {
    presenceConn.put(d, conn);
    Boolean before = presence.put(d, online);
    return before == null || before != online;
  }

  /** Whether this device is the first reachable one after {@code holder} in the order. */
  boolean isNextAfter(@Nullable DeviceId holder) {
    if (holder == null) {
      return false;
    }
    int h = order.indexOf(holder);
    if (h < 0) {
      return false;
    }
    for (int i = 1; i < order.size(); i++) {
      DeviceId d = order.get((h + i) % order.size());
      if (d.equals(self)) {
        return true;
      }
      if (isOnline(d)) {
        return false;
      }
    }
    return false;
  }

  /** The next device after this one in the order that is online, or null. */
  @Nullable DeviceId nextReachable() {
    for (int i = 1; i < order.size(); i++) {
      DeviceId d = order.get((selfIndex + i) % order.size());
      if (isOnline(d)) {
        return d;
      }
    }
    return null;
  }

  /** The smallest epoch above {@code current} that belongs to device {@code index}. */
  long nextEpochFor(long current, int index) {
    int n = order.size();
    long base = current - Math.floorMod(current, n) + index;
    return base > current ? base : base + n;
  }

  /** Whether {@code epoch} belongs to {@code holder} in the order. */
  boolean epochBelongsTo(long epoch, DeviceId holder) {
    return epoch >= 0 && order.get((int) Math.floorMod(epoch, (long) order.size())).equals(holder);
  }
}
