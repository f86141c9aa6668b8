package io.twinpath.host.internal.status;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.ItemState;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolProblem;
import io.twinpath.host.internal.config.Account;
import io.twinpath.host.internal.config.HostConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code twinpath-host status} shows, as one JSON document (the {@code --json} output) and as
 * text for a person. Built from the spool, the outcome journal and what the send engine knows
 * (peers, paths); no password ever goes in.
 *
 * <p>Document fields: {@code device}, {@code daemon} (running or not), {@code config}, {@code
 * spool}, {@code maildir}, {@code listener}, {@code paths} (one per device: {@code device}, {@code
 * own}, {@code server}, {@code online}, {@code health}), {@code queue} (items oldest first: {@code
 * id}, {@code from}, {@code to}, {@code size}, {@code createdAt}, {@code ageSeconds}, {@code
 * expiresAt}, {@code messageId}, {@code state}), {@code recent} (outcomes newest first: {@code id},
 * {@code outcome}, {@code path}, {@code at}, {@code reply}, {@code to}, {@code sha256} of the
 * message, {@code subject}, {@code possibleDuplicate}, {@code bounce}), {@code duplicates} (every
 * item kept with a possible duplicate, however old: {@code id}, {@code possibleDuplicates}, and
 * {@code outcome}, {@code path}, {@code at} once finished), {@code possibleDuplicates} (their
 * total), {@code broker} ({@code url}, {@code reached}, {@code problem}), {@code problems}. Counts
 * come from {@link DuplicateBook}, the outcome journal and the engine, the largest of them per
 * item.
 */
public final class StatusReport {
  /** Outcomes shown. */
  public static final int RECENT = 20;

  private static final Gson GSON = new Gson();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

  private StatusReport() {}

  /**
   * Builds the document.
   *
   * @param daemon whether it is built by the running daemon
   * @param engine what the send engine reports: {@code peers} (device → {@code online}, {@code
   *     since}), {@code health} (device → words), {@code items} (id → state); may be empty
   */
  public static JsonObject build(
      Spool spool, HostConfig config, Clock clock, boolean daemon, JsonObject engine)
      throws IOException {
    Instant now = clock.instant();
    JsonObject s = new JsonObject();
    s.addProperty("device", config.device().value());
    s.addProperty("daemon", daemon);
    s.addProperty("config", config.source() == null ? null : config.source().toString());
    s.addProperty("spool", config.spoolDir().toString());
    s.addProperty("maildir", config.maildir().toString());
    s.addProperty(
        "listener",
        config.listen() == null
            ? null
            : config.listen().getAddress().getHostAddress() + ":" + config.listen().getPort());
    s.addProperty("at", now.toString());

    JsonObject peers = obj(engine, "peers");
    JsonObject health = obj(engine, "health");
    JsonArray paths = new JsonArray();
    for (DeviceId d : config.deviceOrder()) {
      JsonObject p = new JsonObject();
      p.addProperty("device", d.value());
      boolean own = d.equals(config.device());
      p.addProperty("own", own);
      if (own) {
        Account a = config.account();
        p.addProperty(
            "server", a == null ? null : a.host() + ":" + a.port() + " (" + a.tlsWord() + ")");
        if (a == null) {
          p.addProperty("health", "no account: this laptop sends nothing itself");
        }
      }
      JsonObject peer = obj(peers, d.value());
      if (peer.has("online")) {
        p.add("online", peer.get("online"));
      }
      if (peer.has("since")) {
        p.add("since", peer.get("since"));
      }
      if (health.has(d.value())) {
        p.add("health", health.get(d.value()));
      }
      paths.add(p);
    }
    s.add("paths", paths);
    if (daemon && engine.has("connected")) {
      boolean up = engine.get("connected").getAsBoolean();
      s.add(
          "broker",
          broker(
              config.broker().url(),
              up,
              up
                  ? null
                  : "the daemon has no connection to it: peers cannot be told or reached,"
                      + " and mail goes out only over this laptop's own path"));
    }

    JsonArray problems = new JsonArray();
    Map<String, Integer> counts = new LinkedHashMap<>();
    try {
      counts.putAll(new DuplicateBook(config.duplicatesFile(), config.duplicatesKeep()).counts());
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
    JsonObject engineItems = obj(engine, "items");
    JsonArray queue = new JsonArray();
    for (OutboundItem item : spool.list()) {
      JsonObject q = new JsonObject();
      q.addProperty("id", item.id().toString());
      q.addProperty("from", item.envelope().mailFrom());
      JsonArray to = new JsonArray();
      item.envelope().recipients().forEach(to::add);
      q.add("to", to);
      q.addProperty("size", item.size());
      q.addProperty("createdAt", item.createdAt().toString());
      q.addProperty(
          "ageSeconds", Math.max(0, Duration.between(item.createdAt(), now).getSeconds()));
      q.addProperty("expiresAt", item.expiresAt().toString());
      q.addProperty("messageId", item.messageId());
      q.addProperty("origin", item.origin().value());
      JsonObject state = obj(engineItems, item.id().toString());
      if (state.size() == 0) {
        Optional<ItemState> saved = spool.state(item.id());
        if (saved.isPresent()) {
          try {
            JsonObject parsed = GSON.fromJson(saved.get().json(), JsonObject.class);
            state = parsed == null ? state : parsed;
          } catch (JsonParseException e) {
            // shown without state
          }
        }
      }
      q.add("state", state);
      int n =
          Math.max(intOf(state, "possibleDuplicates"), isTrue(state, "possibleDuplicate") ? 1 : 0);
      n = Math.max(n, counts.getOrDefault(item.id().toString(), 0));
      if (n > 0) {
        counts.put(item.id().toString(), n);
      }
      q.addProperty("possibleDuplicates", n);
      queue.add(q);
    }
    s.add("queue", queue);

    JsonArray recent = new JsonArray();
    Map<String, JsonObject> outcomes = new LinkedHashMap<>();
    List<JsonObject> journal = new OutcomeJournal(config.outcomesFile()).recent(Integer.MAX_VALUE);
    for (JsonObject o : journal) {
      String id = str(o, "id");
      outcomes.putIfAbsent(id, o);
      int n = Math.max(intOf(o, "possibleDuplicate"), isTrue(o, "possibleDuplicate") ? 1 : 0);
      n = Math.max(n, counts.getOrDefault(id, 0));
      if (n > 0) {
        counts.put(id, n);
      }
    }
    for (JsonObject o : journal.subList(0, Math.min(RECENT, journal.size()))) {
      int n = counts.getOrDefault(str(o, "id"), 0);
      if (n > 0) {
        o.addProperty("possibleDuplicate", n);
      }
      recent.add(o);
    }
    s.add("recent", recent);

    // every item kept (queued, in the journal, or counted) with its count, not only the recent
    JsonArray flagged = new JsonArray();
    long total = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() <= 0) {
        continue;
      }
      total += e.getValue();
      JsonObject d = new JsonObject();
      d.addProperty("id", e.getKey());
      d.addProperty("possibleDuplicates", e.getValue());
      JsonObject o = outcomes.get(e.getKey());
      if (o != null) {
        d.addProperty("outcome", str(o, "outcome"));
        d.addProperty("path", str(o, "path"));
        d.addProperty("at", str(o, "at"));
      }
      flagged.add(d);
    }
    s.add("duplicates", flagged);
    s.addProperty("possibleDuplicates", total);

    for (SpoolProblem p : spool.problems()) {
      problems.add(p.toString());
    }
    s.add("problems", problems);
    return s;
  }

  /**
   * The {@code broker} part of the document: {@code url}, {@code reached}, and when not reached
   * {@code problem}, a sentence for a person.
   */
  public static JsonObject broker(String url, boolean reached, @Nullable String problem) {
    JsonObject b = new JsonObject();
    b.addProperty("url", url);
    b.addProperty("reached", reached);
    if (problem != null) {
      b.addProperty("problem", problem);
    }
    return b;
  }

  /** The document for a person. */
  public static String render(JsonObject s) {
    StringBuilder b = new StringBuilder();
    boolean daemon = isTrue(s, "daemon");
    b.append("twinpath-host ")
        .append(str(s, "device"))
        .append(": ")
        .append(daemon ? "daemon running" : "daemon NOT running (queued mail waits for it)")
        .append('\n');
    b.append("  config   ")
        .append(
            s.get("config") == null || s.get("config").isJsonNull()
                ? "(no file; defaults)"
                : str(s, "config"))
        .append('\n');
    b.append("  spool    ").append(str(s, "spool")).append('\n');
    b.append("  listener ")
        .append(
            s.get("listener") == null || s.get("listener").isJsonNull()
                ? "off"
                : "SMTP on " + str(s, "listener"))
        .append('\n');
    if (s.get("broker") instanceof JsonObject broker) {
      b.append("  broker   ").append(str(broker, "url"));
      if (isTrue(broker, "reached")) {
        b.append(" (connected)");
      } else {
        b.append(" NOT REACHED: ").append(str(broker, "problem"));
      }
      b.append('\n');
    }

    b.append("\nPaths\n");
    for (JsonElement e : arr(s, "paths")) {
      JsonObject p = e.getAsJsonObject();
      b.append("  ").append(pad(str(p, "device"), 12));
      if (isTrue(p, "own")) {
        b.append("this laptop  ")
            .append(p.has("server") && !p.get("server").isJsonNull() ? str(p, "server") : "");
      } else {
        b.append("peer         ");
        if (p.has("online")) {
          b.append(isTrue(p, "online") ? "online" : "OFFLINE");
          if (p.has("since")) {
            b.append(" since ").append(when(str(p, "since")));
          }
        } else {
          b.append("presence unknown (broker not reached)");
        }
      }
      if (p.has("health") && !p.get("health").isJsonNull()) {
        b.append("  ").append(str(p, "health"));
      }
      b.append('\n');
    }

    JsonArray queue = arr(s, "queue");
    b.append("\nQueue: ");
    if (queue.size() == 0) {
      b.append("empty\n");
    } else {
      long oldest = queue.get(0).getAsJsonObject().get("ageSeconds").getAsLong();
      b.append(queue.size())
          .append(queue.size() == 1 ? " item" : " items")
          .append(", oldest ")
          .append(age(oldest))
          .append('\n');
      for (JsonElement e : queue) {
        JsonObject q = e.getAsJsonObject();
        b.append("  ")
            .append(str(q, "id"))
            .append("  ")
            .append(pad(age(q.get("ageSeconds").getAsLong()), 6))
            .append(' ')
            .append(str(q, "from").isEmpty() ? "<>" : str(q, "from"))
            .append(" -> ")
            .append(join(arr(q, "to")))
            .append("  ")
            .append(bytes(q.get("size").getAsLong()))
            .append('\n');
        JsonObject st = obj(q, "state");
        String detail = stateLine(st);
        if (!detail.isEmpty()) {
          b.append("      ").append(detail).append('\n');
        }
      }
    }

    JsonArray recent = arr(s, "recent");
    b.append("\nRecent outcomes");
    if (recent.size() == 0) {
      b.append(": none yet\n");
    } else {
      b.append('\n');
      for (JsonElement e : recent) {
        JsonObject o = e.getAsJsonObject();
        String outcome = str(o, "outcome");
        b.append("  ")
            .append(when(str(o, "at")))
            .append("  ")
            .append(
                pad(
                    outcome.equals("delivered") ? "delivered" : outcome.toUpperCase(Locale.ROOT),
                    10))
            .append(" via ")
            .append(pad(str(o, "path"), 10))
            .append(' ')
            .append(str(o, "id"));
        if (o.has("to")) {
          b.append(" to ").append(join(arr(o, "to")));
        }
        b.append('\n');
        if (o.has("reply") && !str(o, "reply").isEmpty()) {
          b.append("      ").append(str(o, "reply")).append('\n');
        }
        if (intOf(o, "possibleDuplicate") > 0 || isTrue(o, "possibleDuplicate")) {
          b.append(
              "      possible duplicate: an earlier attempt lost the reply to the final dot\n");
        }
        if (o.has("bounce")) {
          b.append("      bounce delivered to ").append(str(o, "bounce")).append('\n');
        }
      }
    }
    long dups = s.has("possibleDuplicates") ? s.get("possibleDuplicates").getAsLong() : 0;
    b.append("\nPossible duplicates: ").append(dups).append('\n');
    for (JsonElement e : arr(s, "duplicates")) {
      JsonObject d = e.getAsJsonObject();
      b.append("  ").append(str(d, "id")).append("  ").append(str(d, "possibleDuplicates"));
      if (d.has("outcome")) {
        b.append("  ").append(str(d, "outcome"));
        if (!str(d, "path").isEmpty()) {
          b.append(" via ").append(str(d, "path"));
        }
        b.append(' ').append(when(str(d, "at")));
      } else {
        b.append("  queued");
      }
      b.append('\n');
    }
    JsonArray problems = arr(s, "problems");
    if (problems.size() > 0) {
      b.append("\nSpool problems (quarantined)\n");
      for (JsonElement e : problems) {
        b.append("  ").append(e.getAsString()).append('\n');
      }
    }
    return b.toString();
  }

  private static String stateLine(JsonObject st) {
    StringBuilder b = new StringBuilder();
    if (st.has("holder")) {
      b.append("turn: ").append(str(st, "holder"));
    }
    if (st.has("attempts")) {
      sep(b).append("attempts: ").append(st.get("attempts").getAsString());
    }
    if (st.has("lastFailure")) {
      sep(b).append("last failure: ").append(str(st, "lastFailure"));
    }
    if (isTrue(st, "possibleDuplicate") || intOf(st, "possibleDuplicates") > 0) {
      sep(b).append("possible duplicate");
    }
    return b.toString();
  }

  private static StringBuilder sep(StringBuilder b) {
    return b.length() > 0 ? b.append(", ") : b;
  }

  static JsonObject obj(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
  }

  static JsonArray arr(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
  }

  static String str(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? "" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
  }

  static boolean isTrue(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null
        && e.isJsonPrimitive()
        && e.getAsJsonPrimitive().isBoolean()
        && e.getAsBoolean();
  }

  static int intOf(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsInt() : 0;
  }

  private static String join(JsonArray a) {
    StringBuilder b = new StringBuilder();
    for (JsonElement e : a) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(e.getAsString());
    }
    return b.toString();
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s : s + " ".repeat(n - s.length());
  }

  static String age(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 86400) {
      return seconds / 3600 + "h" + (seconds % 3600) / 60 + "m";
    }
    return seconds / 86400 + "d" + (seconds % 86400) / 3600 + "h";
  }

  private static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }

  private static String when(String iso) {
    Instant i = instant(iso);
    return i == null ? iso : TIME.format(i);
  }

  private static @Nullable Instant instant(String iso) {
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Spool problems as text lines (for {@code config check}). */
  public static List<String> problems(Spool spool) {
    return spool.problems().stream().map(SpoolProblem::toString).toList();
  }
}
