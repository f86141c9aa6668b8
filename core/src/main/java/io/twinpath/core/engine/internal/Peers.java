package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final Map<DeviceId, Duration> takeoverDelays = new HashMap<>();

  /** Peers marked unreachable when this device lost its broker, not heard of since. */
  private final Set<DeviceId> lostWithLink = new HashSet<>();

  /** When this device's current connection to the broker began; null while disconnected. */
  private @Nullable Instant connectedSince;

  /** Whether everything the broker kept for this device before the current connection arrived. */
  private boolean caughtUp;

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
    lostWithLink.remove(d);
    Boolean before = presence.put(d, online);
    return before == null || before != online;
  }

  /**
   * This device lost its broker: every peer seen online is unreachable until its state is heard
   * again (its retained state on the broker this device connects to next, or the {@code online} it
   * publishes once it subscribed there). Returns the peers that were online.
   */
  List<DeviceId> linkLost() {
    connectedSince = null;
    caughtUp = false;
    List<DeviceId> lost = new ArrayList<>();
    for (DeviceId d : others) {
      if (isOnline(d)) {
        presence.put(d, false);
        lostWithLink.add(d);
        lost.add(d);
      }
    }
    return lost;
  }

  /** This device (re)connected to its broker at {@code at}. */
  void linkUp(Instant at) {
    connectedSince = at;
    caughtUp = false;
  }

  /** This connection's marker came back: what the broker kept for this device has arrived. */
  void caughtUp() {
    if (connectedSince != null) {
      caughtUp = true;
    }
  }

  /** Whether connected and caught up with what the broker kept for this device. */
  boolean isCaughtUp() {
    return connectedSince != null && caughtUp;
  }

  /** When the current connection began, or null while disconnected. */
  @Nullable Instant connectedSince() {
    return connectedSince;
  }

  /**
   * Whether {@code d} counts as offline only because this device lost its broker: nothing was heard
   * of it since, neither online nor its last will.
   */
  boolean lostWithLink(DeviceId d) {
    return lostWithLink.contains(d);
  }

  /** Notes the takeover delay {@code d} announced in its state. */
  void takeoverDelay(DeviceId d, Duration delay) {
    takeoverDelays.put(d, delay);
  }

  /** The takeover delay {@code d} announced, or null when none was heard. */
  @Nullable Duration announcedTakeoverDelay(DeviceId d) {
    return takeoverDelays.get(d);
  }

  /**
   * The takeover delay that applies between this device and {@code d}: the shorter of this device's
   * and the one {@code d} announced, so both sides use the same number.
   */
  Duration takeoverDelayWith(DeviceId d, Duration own) {
    Duration theirs = takeoverDelays.get(d);
    return theirs != null && theirs.compareTo(own) < 0 ? theirs : own;
  }

  /** The shortest takeover delay of this device and every peer that announced one. */
  Duration shortestTakeoverDelay(Duration own) {
    Duration min = own;
    for (DeviceId d : others) {
      min = takeoverDelayWith(d, min);
    }
    return min;
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
