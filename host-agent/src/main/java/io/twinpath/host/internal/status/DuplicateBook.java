package io.twinpath.host.internal.status;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.twinpath.core.wire.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The possible duplicates counted for each item, in {@code duplicates.json}: {@code {"<item>":
 * {"count": n, "at": "<instant>"}}}. Written (replaced atomically, forced to disk) as soon as a
 * count rises, whether this device counted it or a peer's count was merged, so neither a restart
 * before the outcome nor the outcome journal's bound loses it. An entry is kept for as long as the
 * engine may keep the item's record ({@code HostConfig.duplicatesKeep()}) after its last change.
 * The file is read once per book: the daemon's book is its only writer, and each status report
 * opens a book of its own.
 */
public final class DuplicateBook {
  private static final Gson GSON = new Gson();

  private final Path file;
  private final Duration keep;

  /** The entries as last read or written; null until first needed. */
  private @Nullable Map<String, Entry> entries;

  /**
   * @param file the book's file
   * @param keep how long an item's count is kept after it last changed
   */
  public DuplicateBook(Path file, Duration keep) {
    this.file = file;
    this.keep = keep;
  }

  /** Raises the item's count to {@code count} (never lowers it); true when it changed. */
  public synchronized boolean raise(String item, int count, Instant now) throws IOException {
    Map<String, Entry> all = new LinkedHashMap<>(read());
    Entry old = all.get(item);
    if (old != null && old.count() >= count) {
      return false;
    }
    all.put(item, new Entry(count, now));
    all.entrySet().removeIf(e -> e.getValue().at().plus(keep).isBefore(now));
    JsonObject o = new JsonObject();
    all.forEach(
        (id, e) -> {
          JsonObject x = new JsonObject();
          x.addProperty("count", e.count());
          x.addProperty("at", e.at().toString());
          o.add(id, x);
        });
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, (o + "\n").getBytes(StandardCharsets.UTF_8), true, false);
    entries = all;
    return true;
  }

  /** The count of one item, 0 when none was counted. */
  public synchronized int count(String item) throws IOException {
    Entry e = read().get(item);
    return e == null ? 0 : e.count();
  }

  /** Every item kept with its count, in the order first counted. */
  public synchronized Map<String, Integer> counts() throws IOException {
    Map<String, Integer> out = new LinkedHashMap<>();
    read().forEach((id, e) -> out.put(id, e.count()));
    return out;
  }

  private Map<String, Entry> read() throws IOException {
    Map<String, Entry> known = entries;
    if (known == null) {
      known = load();
      entries = known;
    }
    return known;
  }

  private Map<String, Entry> load() throws IOException {
    Map<String, Entry> out = new LinkedHashMap<>();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return out;
    }
    JsonObject o;
    try {
      o = GSON.fromJson(text, JsonObject.class);
    } catch (JsonParseException e) {
      throw new IOException("the duplicate counts in " + file + " are damaged: " + e.getMessage());
    }
    if (o == null) {
      return out;
    }
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      try {
        JsonObject x = e.getValue().getAsJsonObject();
        out.put(
            e.getKey(),
            new Entry(x.get("count").getAsInt(), Instant.parse(x.get("at").getAsString())));
      } catch (RuntimeException bad) {
        // an entry this version cannot read: left out
      }
    }
    return out;
  }

  private record Entry(int count, Instant at) {}
}
