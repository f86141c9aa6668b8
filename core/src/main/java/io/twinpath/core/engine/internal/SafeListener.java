package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.event.FailureClass;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls several listeners in turn; one that throws is logged and does not stop the others. */
public final class SafeListener implements TwinpathListener {
  private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
  private final List<TwinpathListener> listeners;

  public SafeListener(List<TwinpathListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  private void each(Consumer<TwinpathListener> call) {
    for (TwinpathListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed", l.getClass().getName(), e);
      }
    }
  }

  @Override
  public void attemptStarted(ItemId item, DeviceId device, long epoch, int attempt) {
    each(l -> l.attemptStarted(item, device, epoch, attempt));
  }

  @Override
  public void attemptFailed(ItemId item, DeviceId device, FailureClass failure, String reason) {
    each(l -> l.attemptFailed(item, device, failure, reason));
  }

  @Override
  public void turnPassed(ItemId item, DeviceId from, DeviceId to, long epoch, String reason) {
    each(l -> l.turnPassed(item, from, to, epoch, reason));
  }

  @Override
  public void delivered(ItemId item, DeviceId path, Instant at, String reply) {
    each(l -> l.delivered(item, path, at, reply));
  }

  @Override
  public void failed(ItemId item, DeviceId path, String reply, Map<String, String> rejected) {
    each(l -> l.failed(item, path, reply, rejected));
  }

  @Override
  public void possibleDuplicate(ItemId item, DeviceId device, int count) {
    each(l -> l.possibleDuplicate(item, device, count));
  }

  @Override
  public void takeover(ItemId item, DeviceId offline, DeviceId by, long epoch) {
    each(l -> l.takeover(item, offline, by, epoch));
  }

  @Override
  public void expired(ItemId item, Instant expiresAt) {
    each(l -> l.expired(item, expiresAt));
  }

  @Override
  public void cancelled(ItemId item, DeviceId by) {
    each(l -> l.cancelled(item, by));
  }

  @Override
  public void commandRejected(@Nullable String claimedSender, String why) {
    each(l -> l.commandRejected(claimedSender, why));
  }

  @Override
  public void copyProgress(ItemId item, DeviceId peer, long bytes, long total) {
    each(l -> l.copyProgress(item, peer, bytes, total));
  }

  @Override
  public void peerPresence(DeviceId peer, boolean online) {
    each(l -> l.peerPresence(peer, online));
  }

  @Override
  public void inboundReconciled(
      DeviceId peer, int missingHere, int missingThere, long bytes, int roundTrips) {
    each(l -> l.inboundReconciled(peer, missingHere, missingThere, bytes, roundTrips));
  }

  @Override
  public void inboundStored(String id, DeviceId source, long bytes) {
    each(l -> l.inboundStored(id, source, bytes));
  }
}
