package io.twinpath.core.item.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

/** One strict JSON parse used by the item and spool files. */
public final class Json {
  private static final Gson GSON = new Gson();

  private Json() {}

  /**
   * @throws JsonParseException when the text is not one JSON value
   */
  public static JsonElement parse(String text) {
    JsonElement e = GSON.fromJson(text, JsonElement.class);
    if (e == null) {
      throw new JsonParseException("empty document");
    }
    return e;
  }
}
