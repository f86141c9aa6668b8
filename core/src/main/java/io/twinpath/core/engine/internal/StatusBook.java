package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * This device's status: the path's health, the recent outcomes (each reported once), and the
 * retained {@code twinpath/<device>/status} it publishes shortly after a change. Engine thread
 * only.
 */
final class StatusBook {
  private static final int RECENT = 50;
  private static final Duration FLUSH_DELAY = Duration.ofMillis(200);

  private final Peers peers;
  private final Records records;
  private final Outbox outbox;
  private final EngineLoop loop;
  private final TwinpathListener events;
  private final Clock clock;
  private final String role;
  private final boolean hasPath;

  private final Deque<DeviceStatus.Outcome> recent = new ArrayDeque<>();
  private final Set<String> reported = new HashSet<>();
  private @Nullable Instant lastAttemptAt;
  private @Nullable String lastError;
  private @Nullable Boolean pathOk;
  private boolean dirty;
  private boolean flushScheduled;

  StatusBook(
      Peers peers,
      Records records,
      Outbox outbox,
      EngineLoop loop,
      TwinpathListener events,
      Clock clock,
      String role,
      boolean hasPath) {
    this.peers = peers;
    this.records = records;
    this.outbox = outbox;
    this.loop = loop;
    this.events = events;
    this.clock = clock;
    this.role = role;
    this.hasPath = hasPath;
  }

  /** An attempt started or ended now. */
  void attempted() {
    lastAttemptAt = clock.instant();
  }

  /** What the last attempt said of the path: whether it works, and the error when there was one. */
  void path(boolean ok, @Nullable String error) {
    pathOk = ok;
    lastError = error;
  }

  /** Reports the item's outcome once per result and path; the newest outcomes are kept. */
  void report(ItemRecord r) {
    String key = r.meta.id() + "/" + r.result + "/" + r.resultPath;
    if (!reported.add(key) || r.result == null) {
      return;
    }
    recent.removeIf(x -> x.item().equals(r.meta.id()));
    recent.addFirst(outcomeOf(r));
    while (recent.size() > RECENT) {
      recent.removeLast();
    }
    DeviceId p = r.resultPath == null ? peers.self() : r.resultPath;
    switch (r.result) {
      case ItemRecord.DELIVERED:
        events.delivered(
            r.meta.id(),
            p,
            r.resultAt == null ? clock.instant() : r.resultAt,
            r.resultReply == null ? "" : r.resultReply);
        break;
      case ItemRecord.FAILED:
        events.failed(
            r.meta.id(), p, r.resultReply == null ? "" : r.resultReply, Map.copyOf(r.refused));
        break;
      case ItemRecord.CANCELLED:
        events.cancelled(r.meta.id(), p);
        break;
      default:
        events.expired(r.meta.id(), r.meta.expiresAt());
        break;
    }
  }

  /** The item's count of possible duplicates changed: its reported outcome shows the new one. */
  void refresh(ItemRecord r) {
    List<DeviceStatus.Outcome> now = new ArrayList<>(recent);
    boolean changed = false;
    for (int i = 0; i < now.size(); i++) {
      if (now.get(i).item().equals(r.meta.id())) {
        now.set(i, outcomeOf(r));
        changed = true;
      }
    }
    if (changed) {
      recent.clear();
      recent.addAll(now);
    }
    markDirty();
  }

  /** Forgets what was reported of an item whose record was pruned. */
  void forget(ItemId id) {
    String prefix = id + "/";
    reported.removeIf(k -> k.startsWith(prefix));
  }

  static DeviceStatus.Outcome outcomeOf(ItemRecord r) {
    return new DeviceStatus.Outcome(
        r.meta.id(),
        r.result == null ? "unknown" : r.result,
        r.resultPath,
        r.resultAt,
        r.resultReply,
        r.duplicates,
        r.refused);
  }

  /** Something shown in the status changed: publish it soon. */
  void markDirty() {
    dirty = true;
    flushSoon();
  }

  /** Publishes the status in a moment if it changed (several changes, one publication). */
  void flushSoon() {
    if (!dirty || flushScheduled || loop.isClosed()) {
      return;
    }
    flushScheduled = true;
    loop.schedule(
        FLUSH_DELAY,
        () -> {
          flushScheduled = false;
          dirty = false;
          MqttLink l = outbox.link();
          if (l != null && !loop.isClosed()) {
            l.publish(
                Topics.status(peers.self()),
                snapshot().toJson().toString().getBytes(StandardCharsets.UTF_8),
                true);
          }
        });
  }

  DeviceStatus snapshot() {
    Map<DeviceId, String> peerStates = new LinkedHashMap<>();
    for (DeviceId p : peers.others()) {
      Boolean on = peers.state(p);
      peerStates.put(p, on == null ? "unknown" : on ? "online" : "offline");
    }
    List<DeviceStatus.ItemView> queue = new ArrayList<>();
    int dups = 0;
    for (ItemRecord r : records.sorted()) {
      dups += r.duplicates;
      if (r.phase != Phase.DONE) {
        queue.add(
            new DeviceStatus.ItemView(
                r.meta.id(),
                r.phase.name(),
                r.holder,
                r.epoch,
                r.attempts,
                r.duplicates,
                r.lastFailure,
                r.copyComplete));
      }
    }
    MqttLink l = outbox.link();
    Boolean ok = pathOk;
    return new DeviceStatus(
        peers.self(),
        role,
        clock.instant(),
        l != null && l.isConnected(),
        peerStates,
        !hasPath ? "none" : ok == null ? "unknown" : ok ? "ok" : "failing",
        lastAttemptAt,
        lastError,
        queue,
        dups,
        null,
        new ArrayList<>(recent));
  }
}
