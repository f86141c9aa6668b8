package io.twinpath.dongle.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** JSON helpers on one shared {@link Gson}. */
public final class Json {
  private static final Gson GSON = new Gson();

  private Json() {}

  /** Parses UTF-8 JSON; null when it is not JSON. */
  public static @Nullable JsonElement parse(byte[] utf8) {
    try {
      return GSON.fromJson(new String(utf8, StandardCharsets.UTF_8), JsonElement.class);
    } catch (JsonParseException e) {
      return null;
    }
  }

  /** Indented JSON for people. */
  public static String pretty(JsonElement e) {
    StringWriter s = new StringWriter();
    try {
      JsonWriter w = new JsonWriter(s);
      w.setIndent("  ");
      GSON.toJson(e, w);
      w.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return s.toString();
  }
}
