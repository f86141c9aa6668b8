package io.twinpath.host.internal.cli;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** JSON output for people and scripts: indented, nulls kept. */
final class Json {
  private static final Gson GSON = new Gson();

  private Json() {}

  static String pretty(JsonElement e) {
    StringWriter sw = new StringWriter();
    try {
      JsonWriter w = new JsonWriter(sw);
      w.setIndent("  ");
      w.setSerializeNulls(true);
      GSON.toJson(e, w);
      w.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return sw.toString();
  }
}
