package io.twinpath.dongle.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/** The human form of a status document, one line a section. */
public final class StatusText {
  private StatusText() {}

  public static String render(JsonObject s) {
    StringBuilder b = new StringBuilder();
    b.append(str(s, "device")).append(": ").append(str(s, "state"));
    b.append(" since ").append(str(s, "since")).append(" (status of ").append(str(s, "at"));
    b.append(")\n");
    JsonObject broker = obj(s, "broker");
    b.append(String.format("%-8s %s %s", "broker", str(broker, "mode"), str(broker, "url")));
    if (broker.has("clients")) {
      b.append(", ").append(broker.get("clients").getAsInt()).append(" clients connected");
    }
    b.append(broker.has("auth") && broker.get("auth").getAsBoolean() ? ", password required" : "");
    b.append('\n');
    JsonObject peers = obj(s, "peers");
    b.append(String.format("%-8s ", "peers"));
    if (peers.size() == 0) {
      b.append("none seen on the broker yet");
    } else {
      String sep = "";
      for (Map.Entry<String, JsonElement> e : peers.entrySet()) {
        b.append(sep).append(e.getKey()).append(' ').append(e.getValue().getAsString());
        sep = ", ";
      }
    }
    b.append('\n');
    JsonObject path = obj(s, "path");
    b.append(String.format("%-8s %s", "path", str(path, "kind")));
    if (path.has("state")) {
      b.append(": ").append(str(path, "state"));
    }
    if (path.has("smtp")) {
      b.append(" to ").append(str(path, "smtp"));
    }
    if (path.has("bindAddress")) {
      b.append(" from ").append(str(path, "bindAddress"));
    }
    b.append('\n');
    if (s.has("modem") && s.get("modem").isJsonObject()) {
      JsonObject m = s.getAsJsonObject("modem");
      b.append(String.format("%-8s %s", "modem", m.has("summary") ? str(m, "summary") : m));
      b.append('\n');
    }
    JsonObject q = obj(s, "queue");
    b.append(String.format("%-8s %s items, %s bytes", "queue", str(q, "items"), str(q, "bytes")));
    if (q.has("oldest")) {
      b.append(", oldest ").append(str(q, "oldest"));
    }
    b.append('\n');
    if (s.has("sms") && s.get("sms").isJsonObject()) {
      JsonObject m = s.getAsJsonObject("sms");
      b.append(String.format("%-8s %s notices sent", "sms", str(m, "sent")));
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
            .append(str(r, "outcome"))
            .append(" via ")
            .append(str(r, "path"))
            .append(": ")
            .append(str(r, "detail"))
            .append('\n');
      }
    } else {
      b.append(String.format("%-8s %s%n", "recent", "nothing yet"));
    }
    return b.toString();
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
