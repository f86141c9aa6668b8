package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.ItemId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces every unfinished item again: to a peer whose new connection was just seen, and to every
 * reachable peer periodically. A command lost with a broker that died (or published before the peer
 * subscribed again) is repaired by the next announcement, so two devices cannot wait on each other
 * for ever. An item this device syncs is asked about again ({@code sync}); any other is announced
 * with the turn known here ({@code turn}: epoch and holder). A peer ignores a turn it knows, adopts
 * a newer one, answers an older one with its newer turn and a finished item with its outcome.
 */
final class Announcer {
  private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

  /** The reason of an announced turn; starts with "sync" so it is not taken for a failure. */
  static final String REASON = "sync: announced again";

  /** How far back a peer that returns is told again of deliveries over this device's path. */
  static final Duration OUTCOMES_AGAIN = Duration.ofHours(1);

  private final EngineParts e;
  private final SyncHandler sync;

  Announcer(EngineParts e, SyncHandler sync) {
    this.e = e;
    this.sync = sync;
  }

  /** Announces every unfinished item to {@code peer}; returns how many. */
  int toPeer(DeviceId peer) {
    List<ItemId> syncing = new ArrayList<>();
    int n = 0;
    for (ItemRecord r : e.records.all()) {
      if (r.phase == Phase.DONE) {
        continue;
      }
      if (r.phase == Phase.SYNCING) {
        syncing.add(r.meta.id());
      } else if (r.holder != null && r.epoch >= 0) {
        e.outbox.send("turn", peer, Outbox.turnFields(r, REASON, null, false));
        n++;
      }
    }
    if (!syncing.isEmpty()) {
      sync.ask(peer, syncing);
      n += syncing.size();
    }
    if (n > 0) {
      LOG.debug("{}: announced {} unfinished item(s) again to {}", e.self, n, peer);
    }
    return n;
  }

  /**
   * Tells a peer that returns, again, of the items this device delivered over its own path in the
   * last {@link #OUTCOMES_AGAIN}: an {@code outcome} lost with a broker would otherwise leave a
   * delivery on both paths uncounted (both devices finished, nothing else is sent). A peer that
   * knows the outcome ignores it; one that delivered too counts the duplicate if its delivery was
   * the later one. Returns how many.
   */
  int outcomesToPeer(DeviceId peer) {
    Instant since = e.clock.instant().minus(OUTCOMES_AGAIN);
    int n = 0;
    for (ItemRecord r : e.records.all()) {
      if (r.phase == Phase.DONE
          && ItemRecord.DELIVERED.equals(r.result)
          && java.util.Objects.equals(e.self, r.resultPath)
          && r.doneAt != null
          && r.doneAt.isAfter(since)) {
        e.outbox.replyOutcome(peer, r);
        n++;
      }
    }
    if (n > 0) {
      LOG.debug("{}: told {} again of {} recent delivery(ies) here", e.self, peer, n);
    }
    return n;
  }

  /** Announces every unfinished item to every reachable peer. */
  void toReachablePeers() {
    for (DeviceId peer : e.peers.others()) {
      if (e.peers.isOnline(peer)) {
        toPeer(peer);
      }
    }
  }
}
