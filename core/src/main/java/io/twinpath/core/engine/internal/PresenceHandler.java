package io.twinpath.core.engine.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.Json;
import io.twinpath.core.wire.MalformedCommandException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence: the retained state (and last will) of each peer on {@code twinpath/<device>/state}. A
 * peer that goes offline holding a turn may be taken over; one that comes back is asked about the
 * items waiting for it and offered the copies it misses.
 */
final class PresenceHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceHandler.class);

  private final EngineParts e;
  private final TurnHandler turns;
  private final SyncHandler sync;
  private final CopyTransfer copies;

  PresenceHandler(EngineParts e, TurnHandler turns, SyncHandler sync, CopyTransfer copies) {
    this.e = e;
    this.turns = turns;
    this.sync = sync;
    this.copies = copies;
  }

  /** The state {@code device} published (retained, or its last will). */
  void onState(DeviceId device, byte[] payload) {
    if (device.equals(e.self) || !e.peers.inOrder(device)) {
      return;
    }
    String state;
    long conn;
    try {
      JsonObject o = Json.object(new String(payload, StandardCharsets.UTF_8));
      state = Json.string(o, "state");
      JsonElement c = o.get("conn");
      conn =
          c != null && c.isJsonPrimitive() && c.getAsJsonPrimitive().isNumber() ? c.getAsLong() : 0;
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
    boolean online = state.equals("online");
    if (!e.peers.update(device, online, conn)) {
      return;
    }
    e.events.peerPresence(device, online);
    e.status.markDirty();
    if (online) {
      sync.resync(device);
    }
    turns.holderPresence(device, online);
    if (online) {
      for (ItemRecord r : e.records.all()) {
        if (r.phase != Phase.DONE && r.meta.origin().equals(e.self) && r.copyComplete) {
          copies.offer(r, device, false);
        }
      }
    }
  }
}
