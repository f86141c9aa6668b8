package io.twinpath.core.event;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.ItemId;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every event as one sentence to SLF4J (logger {@code io.twinpath.events}). */
public final class LoggingListener implements TwinpathListener {
  private final Logger log;

  public LoggingListener() {
    this(LoggerFactory.getLogger("io.twinpath.events"));
  }

  public LoggingListener(Logger log) {
    this.log = log;
  }

  @Override
  public void attemptStarted(ItemId item, DeviceId device, long epoch, int attempt) {
    log.info("{}: {} starts attempt {} (epoch {})", item, device, attempt, epoch);
  }

  @Override
  public void attemptFailed(ItemId item, DeviceId device, FailureClass failure, String reason) {
    log.warn("{}: attempt by {} failed ({}): {}", item, device, failure, reason);
  }

  @Override
  public void turnPassed(ItemId item, DeviceId from, DeviceId to, long epoch, String reason) {
    log.info("{}: turn passes from {} to {} (epoch {}) because {}", item, from, to, epoch, reason);
  }

  @Override
  public void delivered(ItemId item, DeviceId path, Instant at, String reply) {
    log.info("{}: delivered over {}'s path at {}: {}", item, path, at, reply);
  }

  @Override
  public void failed(ItemId item, DeviceId path, String reply, Map<String, String> rejected) {
    log.warn("{}: failed for good on {}'s path: {} (refused: {})", item, path, reply, rejected);
  }

  @Override
  public void possibleDuplicate(ItemId item, DeviceId device, int count) {
    log.warn(
        "{}: the reply to the final dot was lost on {}'s path; retrying, so recipients may get it"
            + " twice ({} such attempts)",
        item,
        device,
        count);
  }

  @Override
  public void takeover(ItemId item, DeviceId offline, DeviceId by, long epoch) {
    log.warn(
        "{}: {} went offline holding the turn; {} takes over (epoch {})", item, offline, by, epoch);
  }

  @Override
  public void expired(ItemId item, Instant expiresAt) {
    log.warn("{}: expired at {} without delivery", item, expiresAt);
  }

  @Override
  public void cancelled(ItemId item, DeviceId by) {
    log.info("{}: cancelled on {}; it is sent no more and every copy is deleted", item, by);
  }

  @Override
  public void commandRejected(@Nullable String claimedSender, String why) {
    log.warn("rejected a command claiming to be from {}: {}", claimedSender, why);
  }

  @Override
  public void copyProgress(ItemId item, DeviceId peer, long bytes, long total) {
    if (bytes == total) {
      log.info("{}: copy to {} complete ({} bytes)", item, peer, total);
    } else {
      log.debug("{}: copy to {} at {} of {} bytes", item, peer, bytes, total);
    }
  }

  @Override
  public void peerPresence(DeviceId peer, boolean online) {
    log.info("{} is {}", peer, online ? "online" : "offline");
  }

  @Override
  public void inboundReconciled(
      DeviceId peer, int missingHere, int missingThere, long bytes, int roundTrips) {
    if (missingHere < 0) {
      log.warn("inbound reconciliation with {} failed", peer);
    } else {
      log.info(
          "inbound reconciliation with {}: {} missing here, {} there ({} bytes, {} round trips)",
          peer,
          missingHere,
          missingThere,
          bytes,
          roundTrips);
    }
  }

  @Override
  public void inboundStored(String id, DeviceId source, long bytes) {
    log.info("inbound message {} stored ({} bytes, from {})", id, bytes, source);
  }

  @Override
  public void modemRecovery(
      String port, String action, int attempt, boolean recovered, String detail) {
    if (recovered) {
      log.info("modem on {} recovered by {} (attempt {}): {}", port, action, attempt, detail);
    } else {
      log.warn("modem on {} not recovered by {} (attempt {}): {}", port, action, attempt, detail);
    }
  }
}
