package io.twinpath.core.wire;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import org.jspecify.annotations.Nullable;

/** Parsing JSON text into Gson trees, for every part of the protocol. */
public final class Json {
  private static final Gson GSON = new Gson();

  private Json() {}

  /**
   * Parses {@code text} as one JSON object.
   *
   * @throws MalformedCommandException when it is not JSON or not an object
   */
  public static JsonObject object(String text) throws MalformedCommandException {
    JsonElement e;
    try {
      e = GSON.fromJson(text, JsonElement.class);
    } catch (JsonParseException | IllegalStateException ex) {
      throw new MalformedCommandException("the text is not valid JSON");
    }
    if (e == null || !e.isJsonObject()) {
      throw new MalformedCommandException("the text is not a JSON object");
    }
    return e.getAsJsonObject();
  }

  /** A string member, or null when absent or not a string. */
  public static @Nullable String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
        ? e.getAsString()
        : null;
  }
}
