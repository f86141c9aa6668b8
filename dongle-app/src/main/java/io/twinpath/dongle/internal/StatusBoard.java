package io.twinpath.dongle.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@code twinpath-dongle status} shows and {@code twinpath/<device>/status} carries: broker,
 * peers, path and modem health, queue, recent outcomes. Thread-safe; sections come from suppliers
 * registered by the parts that own the facts.
 */
public final class StatusBoard {
  /** How many recent outcomes are kept. */
  public static final int RECENT = 20;

  private final DeviceId device;
  private final Clock clock;
  private final Instant started;
  private final Map<String, String> peers = new TreeMap<>();
  private final Deque<JsonObject> recent = new ArrayDeque<>();
  private volatile Supplier<JsonObject> broker = JsonObject::new;
  private volatile Supplier<JsonObject> path = JsonObject::new;
  private volatile @Nullable Supplier<JsonObject> modem;
  private volatile Supplier<JsonObject> queue = StatusBoard::emptyQueue;
  private volatile Runnable onChange = () -> {};

  public StatusBoard(DeviceId device, Clock clock) {
    this.device = device;
    this.clock = clock;
    this.started = clock.instant();
  }

  public DeviceId device() {
    return device;
  }

  public void broker(Supplier<JsonObject> s) {
    broker = s;
  }

  public void path(Supplier<JsonObject> s) {
    path = s;
  }

  public void modem(Supplier<JsonObject> s) {
    modem = s;
  }

  public void queue(Supplier<JsonObject> s) {
    queue = s;
  }

  /** Called (outside locks) whenever something shown changed, e.g. to republish. */
  public void onChange(Runnable r) {
    onChange = r;
  }

  public void peer(DeviceId peer, String state) {
    synchronized (this) {
      if (state.equals(peers.put(peer.value(), state))) {
        return;
      }
    }
    onChange.run();
  }

  /** Records a finished item: {@code outcome} is delivered, failed, expired or similar. */
  public void outcome(String item, String outcome, String pathDevice, String detail) {
    JsonObject o = new JsonObject();
    o.addProperty("item", item);
    o.addProperty("outcome", outcome);
    o.addProperty("path", pathDevice);
    o.addProperty("at", clock.instant().toString());
    o.addProperty("detail", detail.length() > 200 ? detail.substring(0, 200) : detail);
    synchronized (this) {
      recent.addFirst(o);
      while (recent.size() > RECENT) {
        recent.removeLast();
      }
    }
    onChange.run();
  }

  /** Tells the publisher that a section changed. */
  public void changed() {
    onChange.run();
  }

  /** The whole status document for {@code state} (running or stopped). */
  public JsonObject snapshot(String state) {
    JsonObject o = new JsonObject();
    o.addProperty("device", device.value());
    o.addProperty("role", "secondary");
    o.addProperty("state", state);
    o.addProperty("since", started.toString());
    o.addProperty("at", clock.instant().toString());
    o.add("broker", safe(broker));
    JsonObject p = new JsonObject();
    synchronized (this) {
      peers.forEach(p::addProperty);
    }
    o.add("peers", p);
    o.add("path", safe(path));
    Supplier<JsonObject> m = modem;
    o.add("modem", m == null ? JsonNull.INSTANCE : safe(m));
    o.add("queue", safe(queue));
    JsonArray r = new JsonArray();
    synchronized (this) {
      recent.forEach(r::add);
    }
    o.add("recent", r);
    return o;
  }

  private static JsonObject safe(Supplier<JsonObject> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      JsonObject o = new JsonObject();
      o.addProperty("error", String.valueOf(e.getMessage()));
      return o;
    }
  }

  private static JsonObject emptyQueue() {
    JsonObject q = new JsonObject();
    q.addProperty("items", 0);
    q.addProperty("bytes", 0);
    return q;
  }
}
