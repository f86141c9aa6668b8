package io.twinpath.core.event;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.ItemId;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the outbound engine reports, through one interface. Every method does nothing by
 * default, so a listener overrides only what it needs. Methods are called on the engine's own
 * thread: they must return quickly and must not throw (an exception is logged and ignored).
 */
public interface TwinpathListener {
  /** A listener that ignores everything. */
  TwinpathListener NONE = new TwinpathListener() {};

  /** {@code device} starts attempt number {@code attempt} of the item under {@code epoch}. */
  default void attemptStarted(ItemId item, DeviceId device, long epoch, int attempt) {}

  /** An attempt failed; {@code reason} is the server's reply or the network error in words. */
  default void attemptFailed(ItemId item, DeviceId device, FailureClass failure, String reason) {}

  /** The turn for the item moved from {@code from} to {@code to} under a new epoch. */
  default void turnPassed(ItemId item, DeviceId from, DeviceId to, long epoch, String reason) {}

  /** The item was delivered over {@code path}'s network; {@code reply} is the server's reply. */
  default void delivered(ItemId item, DeviceId path, Instant at, String reply) {}

  /**
   * The item failed for good: the server refused it (or some recipients) permanently. {@code
   * rejected} maps each refused recipient to the server's reply.
   */
  default void failed(ItemId item, DeviceId path, String reply, Map<String, String> rejected) {}

  /**
   * An attempt ended without knowing whether the server took the message; it is retried, so the
   * recipients may get it twice. {@code count} is the number of such attempts so far.
   */
  default void possibleDuplicate(ItemId item, DeviceId device, int count) {}

  /** {@code by} took the turn from {@code offline}, whose last will said it went away. */
  default void takeover(ItemId item, DeviceId offline, DeviceId by, long epoch) {}

  /** The item expired before anyone delivered it. */
  default void expired(ItemId item, Instant expiresAt) {}

  /** The item was cancelled by the user on {@code by} (its origin) and is sent no more. */
  default void cancelled(ItemId item, DeviceId by) {}

  /**
   * A command arriving on this device's inbox was refused; {@code why} is one sentence (never key
   * material). {@code claimedSender} is null when the payload did not even name one.
   */
  default void commandRejected(@Nullable String claimedSender, String why) {}

  /** Copy of the item to {@code peer}: {@code bytes} of {@code total} acknowledged. */
  default void copyProgress(ItemId item, DeviceId peer, long bytes, long total) {}

  /** A peer's presence changed (its retained state topic). */
  default void peerPresence(DeviceId peer, boolean online) {}

  /**
   * An inbound reconciliation this device started with {@code peer} ended: how many ids each side
   * lacked, and what it cost (payload bytes both ways, round trips). {@code missingHere} is −1 when
   * it failed.
   */
  default void inboundReconciled(
      DeviceId peer, int missingHere, int missingThere, long bytes, int roundTrips) {}

  /**
   * An inbound message was stored here (delivered into the Maildir on the host, held on a
   * secondary): {@code id} is its 16-hex-digit inbound id, {@code source} the device it came from
   * (this device when fetched over its own path).
   */
  default void inboundStored(String id, DeviceId source, long bytes) {}

  /**
   * A secondary's modem stopped answering its health checks and was recovered by {@code action}
   * ({@code reset line}, {@code power cycle} through GPIO, or {@code reopen} of its port): attempt
   * number {@code attempt} since it last answered; {@code recovered} says whether it answers again,
   * {@code detail} is one sentence. Called on the modem's own thread.
   */
  default void modemRecovery(
      String port, String action, int attempt, boolean recovered, String detail) {}

  /**
   * This device's embedded MQTT broker stopped answering ({@code reason}, one sentence) and was
   * started again at {@code url}, on the same address and ports; its clients reconnect by
   * themselves. Called on the broker watch's own thread.
   */
  default void brokerRestarted(String url, String reason) {}
}
