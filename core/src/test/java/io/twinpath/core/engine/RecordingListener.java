package io.twinpath.core.engine;

import io.twinpath.core.DeviceId;
import io.twinpath.core.event.FailureClass;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Every event as one line, e.g. {@code delivered ITEM dongle}. */
final class RecordingListener implements TwinpathListener {
  final List<String> lines = new CopyOnWriteArrayList<>();

  boolean has(String prefix) {
    return lines.stream().anyMatch(l -> l.startsWith(prefix));
  }

  long count(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }

  @Override
  public void attemptStarted(ItemId item, DeviceId device, long epoch, int attempt) {
    lines.add("attemptStarted " + item + " " + device + " " + epoch);
  }

  @Override
  public void attemptFailed(ItemId item, DeviceId device, FailureClass failure, String reason) {
    lines.add("attemptFailed " + item + " " + device + " " + failure + " " + reason);
  }

  @Override
  public void turnPassed(ItemId item, DeviceId from, DeviceId to, long epoch, String reason) {
    lines.add("turnPassed " + item + " " + from + " " + to + " " + epoch + " " + reason);
  }

  @Override
  public void delivered(ItemId item, DeviceId path, Instant at, String reply) {
    lines.add("delivered " + item + " " + path + " " + reply);
  }

  @Override
  public void failed(ItemId item, DeviceId path, String reply, Map<String, String> rejected) {
    lines.add("failed " + item + " " + path + " " + reply + " " + rejected);
  }

  @Override
  public void possibleDuplicate(ItemId item, DeviceId device, int count) {
    lines.add("possibleDuplicate " + item + " " + device + " " + count);
  }

  @Override
  public void takeover(ItemId item, DeviceId offline, DeviceId by, long epoch) {
    lines.add("takeover " + item + " " + offline + " " + by + " " + epoch);
  }

  @Override
  public void expired(ItemId item, Instant expiresAt) {
    lines.add("expired " + item);
  }

  @Override
  public void cancelled(ItemId item, DeviceId by) {
    lines.add("cancelled " + item + " " + by);
  }

  @Override
  public void commandRejected(@Nullable String claimedSender, String why) {
    lines.add("commandRejected " + claimedSender + " " + why);
  }

  @Override
  public void copyProgress(ItemId item, DeviceId peer, long bytes, long total) {
    lines.add("copyProgress " + item + " " + peer + " " + bytes + "/" + total);
  }

  @Override
  public void peerPresence(DeviceId peer, boolean online) {
    lines.add("peerPresence " + peer + " " + online);
  }

  @Override
  public void modemRecovery(
      String port, String action, int attempt, boolean recovered, String detail) {
    lines.add("modemRecovery " + port + " " + action + " " + attempt + " " + recovered);
  }
}
