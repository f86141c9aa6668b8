package io.twinpath.secondary.internal;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The secondary's own facts for {@code twinpath/<device>/health}: broker, path, modem, SMS notices,
 * storage (the engine publishes peers, queue and outcomes on {@code status}). Thread-safe; each
 * section comes from a supplier registered by the part that owns the fact.
 */
public final class StatusBoard {
  private final DeviceId device;
  private final Clock clock;
  private final Instant started;
  private final Map<String, Supplier<JsonObject>> sections = new ConcurrentHashMap<>();
  private volatile Runnable onChange = () -> {};

  public StatusBoard(DeviceId device, Clock clock) {
    this.device = device;
    this.clock = clock;
    this.started = clock.instant();
  }

  public DeviceId device() {
    return device;
  }

  /** Registers (or replaces) the section {@code name}: broker, path, modem, sms, storage. */
  public void section(String name, Supplier<JsonObject> s) {
    sections.put(name, s);
  }

  /** Called whenever something shown changed, e.g. to republish. */
  public void onChange(Runnable r) {
    onChange = r;
  }

  /** Tells the publisher that a section changed. */
  public void changed() {
    onChange.run();
  }

  /** The whole health document for {@code state} (running or stopped). */
  public JsonObject snapshot(String state) {
    JsonObject o = new JsonObject();
    o.addProperty("device", device.value());
    o.addProperty("role", "secondary");
    o.addProperty("state", state);
    o.addProperty("since", started.toString());
    o.addProperty("at", clock.instant().toString());
    for (String name : new String[] {"broker", "path", "modem", "sms", "storage"}) {
      Supplier<JsonObject> s = sections.get(name);
      o.add(name, s == null ? JsonNull.INSTANCE : safe(s));
    }
    Supplier<JsonObject> inbound = sections.get("inbound");
    if (inbound != null) {
      o.add("inbound", safe(inbound)); // only when inbound fetching is configured
    }
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
}
