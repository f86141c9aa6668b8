package io.twinpath.core.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The highest sequence number accepted from each peer, persisted ({@code replay.json}): a command
 * whose number is not higher is a replay (or a duplicate redelivery) and is refused. Thread-safe.
 */
public final class ReplayGuard {
  private final Path file;
  private final Map<DeviceId, Long> lastSeen = new HashMap<>();

  private ReplayGuard(Path file) {
    this.file = file;
  }

  public static ReplayGuard open(Path file) throws IOException {
    ReplayGuard g = new ReplayGuard(file);
    if (Files.exists(file)) {
      try {
        JsonObject root = Json.object(Files.readString(file));
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
          g.lastSeen.put(DeviceId.of(e.getKey()), e.getValue().getAsLong());
        }
      } catch (MalformedCommandException
          | IllegalStateException
          | UnsupportedOperationException
          | NumberFormatException e) {
        throw new IOException(
            "the replay record "
                + file
                + " is not valid; remove it only if every peer's key is"
                + " replaced too",
            e);
      }
    }
    return g;
  }

  /** The highest number accepted from {@code peer}, 0 when none. */
  public synchronized long lastSeen(DeviceId peer) {
    return lastSeen.getOrDefault(peer, 0L);
  }

  /**
   * Accepts {@code seq} from {@code peer} if it is higher than any seen before, and records it.
   *
   * @return false for a replay
   */
  public synchronized boolean accept(DeviceId peer, long seq) throws IOException {
    if (seq <= lastSeen(peer)) {
      return false;
    }
    lastSeen.put(peer, seq);
    JsonObject root = new JsonObject();
    lastSeen.forEach((d, s) -> root.addProperty(d.value(), s));
    AtomicFiles.write(file, root.toString().getBytes(StandardCharsets.UTF_8), false, false);
    return true;
  }
}
