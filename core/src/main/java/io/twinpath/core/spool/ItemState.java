package io.twinpath.core.spool;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import io.twinpath.core.item.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The small mutable state of one item (epoch, turn holder, accepted recipients, attempts, last
 * failure, possible duplicate...), as one JSON object whose fields the send engine defines. The
 * spool replaces it atomically on every save. Immutable.
 */
public final class ItemState {
  /** The largest state accepted, in UTF-8 bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  private final String json;

  private ItemState(String json) {
    this.json = json;
  }

  /**
   * @throws IllegalArgumentException when {@code json} is not one JSON object or is over {@link
   *     #MAX_BYTES}
   */
  public static ItemState ofJson(String json) {
    Objects.requireNonNull(json, "json");
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "item state is " + bytes + " bytes; at most " + MAX_BYTES + " are accepted");
    }
    try {
      JsonElement e = Json.parse(json);
      if (!e.isJsonObject()) {
        throw new IllegalArgumentException("item state must be one JSON object, not " + kind(e));
      }
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          "item state is not valid JSON: " + firstLine(e.getMessage()), e);
    }
    return new ItemState(json);
  }

  private static String kind(JsonElement e) {
    return e.isJsonArray() ? "an array" : e.isJsonNull() ? "null" : "a plain value";
  }

  /** The JSON object text, exactly as given. */
  public String json() {
    return json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemState && ((ItemState) o).json.equals(json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json;
  }

  /** The first line of a parser's message; empty when it has none. */
  private static String firstLine(@Nullable String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
