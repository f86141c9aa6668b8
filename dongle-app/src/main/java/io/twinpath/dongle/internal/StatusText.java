package io.twinpath.dongle.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/** The human form of the status: one line a section. */
public final class StatusText {
  private StatusText() {}

  /** Renders {@code {"status": engine status, "health": secondary health, "states": …}}. */
  public static String render(JsonObject all) {
    JsonObject h = obj(all, "health");
    JsonObject s = obj(all, "status");
    JsonObject states = obj(all, "states");
    StringBuilder b = new StringBuilder();
    String device = h.has("device") ? str(h, "device") : str(s, "device");
    b.append(device).append(": ").append(h.has("state") ? str(h, "state") : "-");
    if (h.has("since")) {
      b.append(" since ").append(str(h, "since"));
    }
    b.append(" (as of ").append(h.has("at") ? str(h, "at") : str(s, "at")).append(")\n");
    JsonObject broker = obj(h, "broker");
    line(b, "broker", str(broker, "mode") + " " + str(broker, "url"));
    if (broker.has("clients")) {
      b.append(", ").append(str(broker, "clients")).append(" clients connected");
    }
    if (broker.has("auth") && broker.get("auth").getAsBoolean()) {
      b.append(", password required");
    }
    if (broker.has("restarts") && broker.get("restarts").getAsLong() > 0) {
      long n = broker.get("restarts").getAsLong();
      b.append(", restarted ").append(n).append(n == 1 ? " time" : " times");
      b.append(" because it stopped answering");
      if (broker.has("lastRestart")) {
        b.append(" (last: ").append(str(broker, "lastRestart")).append(')');
      }
    }
    b.append('\n');
    JsonObject peers = obj(s, "peers");
    StringBuilder p = new StringBuilder();
    for (Map.Entry<String, JsonElement> e : peers.entrySet()) {
      p.append(p.length() == 0 ? "" : ", ").append(e.getKey()).append(' ');
      p.append(e.getValue().isJsonNull() ? "unknown" : e.getValue().getAsString());
    }
    line(b, "peers", p.length() == 0 ? "none configured" : p.toString()).append('\n');
    JsonObject path = obj(h, "path");
    JsonObject engine = obj(s, "path");
    line(b, "path", str(path, "kind"));
    if (path.has("smtp")) {
      b.append(" to ").append(str(path, "smtp"));
    }
    if (path.has("bindAddress")) {
      b.append(" from ").append(str(path, "bindAddress"));
    }
    if (engine.has("health")) {
      b.append(", ").append(str(engine, "health"));
    }
    if (engine.has("lastError") && !engine.get("lastError").isJsonNull()) {
      b.append(" (last error: ").append(str(engine, "lastError")).append(')');
    }
    b.append('\n');
    if (h.has("modem") && h.get("modem").isJsonObject()) {
      JsonObject m = h.getAsJsonObject("modem");
      line(b, "modem", m.has("summary") ? str(m, "summary") : m.toString());
      if (m.has("recoveries") && m.get("recoveries").getAsInt() > 0) {
        b.append("; ")
            .append(str(m, "recoveries"))
            .append(m.get("recoveries").getAsInt() == 1 ? " recovery" : " recoveries")
            .append(" by ")
            .append(str(m, "recovery"))
            .append(" (last: ")
            .append(str(m, "lastRecovery"))
            .append(')');
      }
      if (m.has("gpioProblem")) {
        b.append("; ").append(str(m, "gpioProblem"));
      }
      b.append('\n');
    }
    JsonObject storage = obj(h, "storage");
    line(b, "queue", (s.has("queueDepth") ? str(s, "queueDepth") : "?") + " items");
    if (storage.has("usedBytes")) {
      b.append(", ")
          .append(str(storage, "usedBytes"))
          .append(" of ")
          .append(str(storage, "budgetBytes"))
          .append(" bytes of storage");
    }
    if (s.has("possibleDuplicates") && s.get("possibleDuplicates").getAsInt() > 0) {
      b.append(", ").append(str(s, "possibleDuplicates")).append(" possible duplicates");
    }
    b.append('\n');
    if (s.has("queue") && s.get("queue").isJsonArray()) {
      for (JsonElement e : s.getAsJsonArray("queue")) {
        JsonObject q = e.getAsJsonObject();
        b.append("  ")
            .append(str(q, "item"))
            .append(' ')
            .append(str(q, "phase"))
            .append(", turn with ")
            .append(str(q, "holder"))
            .append(", ")
            .append(str(q, "attempts"))
            .append(" attempts");
        if (q.has("lastFailure") && !q.get("lastFailure").isJsonNull()) {
          b.append(", last failure: ").append(str(q, "lastFailure"));
        }
        b.append('\n');
      }
    }
    if (h.has("sms") && h.get("sms").isJsonObject()) {
      JsonObject m = h.getAsJsonObject("sms");
      line(b, "sms", str(m, "sent") + " notices sent to " + str(m, "numbers") + " numbers");
      b.append('\n');
    }
    if (s.has("recent") && s.get("recent").isJsonArray() && s.getAsJsonArray("recent").size() > 0) {
      b.append("recent\n");
      for (JsonElement e : s.getAsJsonArray("recent")) {
        JsonObject r = e.getAsJsonObject();
        b.append("  ")
            .append(str(r, "at"))
            .append(' ')
            .append(str(r, "item"))
            .append(' ')
            .append(str(r, "result"))
            .append(" via ")
            .append(str(r, "path"))
            .append(": ")
            .append(str(r, "reply"));
        if (r.has("possibleDuplicates") && r.get("possibleDuplicates").getAsInt() > 0) {
          b.append(" (possible duplicate)");
        }
        b.append('\n');
      }
    } else {
      line(b, "recent", "nothing yet").append('\n');
    }
    if (states.size() > 0) {
      StringBuilder st = new StringBuilder();
      for (Map.Entry<String, JsonElement> e : states.entrySet()) {
        JsonElement v = e.getValue();
        String state =
            v.isJsonObject() && v.getAsJsonObject().has("state")
                ? v.getAsJsonObject().get("state").getAsString()
                : "?";
        st.append(st.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(state);
      }
      line(b, "devices", st.toString()).append('\n');
    }
    return b.toString();
  }

  private static StringBuilder line(StringBuilder b, String label, String text) {
    return b.append(String.format("%-8s %s", label, text));
  }

  private static JsonObject obj(JsonObject s, String k) {
    return s.has(k) && s.get(k).isJsonObject() ? s.getAsJsonObject(k) : new JsonObject();
  }

  private static String str(JsonObject s, String k) {
    if (!s.has(k) || s.get(k).isJsonNull()) {
      return "-";
    }
    JsonElement e = s.get(k);
    return e.isJsonPrimitive() ? e.getAsString() : e.toString();
  }
}
