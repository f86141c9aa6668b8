package io.twinpath.core.engine.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.Json;
import io.twinpath.core.wire.MalformedCommandException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence: the retained state (and last will) of each peer on {@code twinpath/<device>/state}. A
 * peer that goes offline holding a turn may be taken over; one that comes back is asked about the
 * items waiting for it and offered the copies it misses.
 */
final class PresenceHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceHandler.class);

  /** The field of the state in which a device announces its takeover delay, in milliseconds. */
  static final String TAKEOVER_FIELD = "takeoverMs";

  private final EngineParts e;
  private final TurnHandler turns;
  private final SyncHandler sync;
  private final CopyTransfer copies;
  private final Announcer announcer;

  PresenceHandler(
      EngineParts e,
      TurnHandler turns,
      SyncHandler sync,
      CopyTransfer copies,
      Announcer announcer) {
    this.e = e;
    this.turns = turns;
    this.sync = sync;
    this.copies = copies;
    this.announcer = announcer;
  }

  /**
   * This device lost its broker: the peers behind it are unreachable until they are heard of again.
   * Nothing is passed to them meanwhile; a holder among them may be taken over, but only once this
   * device has been connected again long enough to hear of it (see {@link TurnHandler}).
   */
  void onLinkLost() {
    List<DeviceId> lost = e.peers.linkLost();
    if (lost.isEmpty()) {
      return;
    }
    LOG.info("{}: lost the broker; {} unreachable until heard of again", e.self, lost);
    for (DeviceId d : lost) {
      e.events.peerPresence(d, false);
      turns.holderPresence(d, false);
      sync.peerPresence(d, false);
    }
    e.status.markDirty();
  }

  /** The state {@code device} published (retained, or its last will). */
  void onState(DeviceId device, byte[] payload) {
    if (device.equals(e.self) || !e.peers.inOrder(device)) {
      return;
    }
    String state;
    long conn;
    long takeoverMs;
    try {
      JsonObject o = Json.object(new String(payload, StandardCharsets.UTF_8));
      state = Json.string(o, "state");
      conn = number(o.get("conn"), 0);
      takeoverMs = number(o.get(TAKEOVER_FIELD), -1);
    } catch (MalformedCommandException | NumberFormatException x) {
      LOG.debug("{}: unreadable state of {}", e.self, device);
      return;
    }
    if (state == null) {
      return;
    }
    long lastConn = e.peers.lastConnection(device);
    if (conn < lastConn) {
      LOG.debug(
          "{}: ignoring a stale '{}' of {} (connection {} < {})",
          e.self,
          state,
          device,
          conn,
          lastConn);
      return;
    }
    if (takeoverMs >= 0) {
      noteTakeoverDelay(device, Duration.ofMillis(takeoverMs));
    }
    boolean online = state.equals("online");
    boolean newConnection = online && conn > lastConn;
    boolean changed = e.peers.update(device, online, conn);
    if (!changed && !newConnection) {
      return;
    }
    if (changed) {
      e.events.peerPresence(device, online);
      e.status.markDirty();
    }
    if (online) {
      // it subscribed before it published this state: what is sent now reaches it
      announcer.toPeer(device);
      announcer.outcomesToPeer(device);
      sync.resync(device);
    }
    if (changed) {
      turns.holderPresence(device, online);
      sync.peerPresence(device, online);
    }
    if (online) {
      for (ItemRecord r : e.records.all()) {
        if (r.phase != Phase.DONE && r.meta.origin().equals(e.self) && r.copyComplete) {
          copies.offer(r, device, false);
        }
      }
    }
  }

  private void noteTakeoverDelay(DeviceId device, Duration theirs) {
    Duration before = e.peers.announcedTakeoverDelay(device);
    e.peers.takeoverDelay(device, theirs);
    Duration own = e.settings.takeoverDelay();
    if (!theirs.equals(before) && !theirs.equals(own)) {
      LOG.warn(
          "{}: {} announces a takeover delay of {} and this device has {}: both use the shorter, {}",
          e.self,
          device,
          theirs,
          own,
          theirs.compareTo(own) < 0 ? theirs : own);
    }
  }

  private static long number(@Nullable JsonElement v, long otherwise) {
    return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
        ? v.getAsLong()
        : otherwise;
  }
}
