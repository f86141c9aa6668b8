package io.twinpath.kura.internal;

import java.util.Map;
import java.util.Objects;

/**
 * Reads Kura's configuration map (values arrive as String, Integer, Long, Boolean…) into typed
 * values, with errors that name the key, the value and what is accepted.
 */
public final class KuraProperties {
  private final Map<String, ?> properties;

  public KuraProperties(Map<String, ?> properties) {
    this.properties = Objects.requireNonNull(properties, "properties");
  }

  public String string(String key, String fallback) {
    Object v = properties.get(key);
    return v == null ? fallback : v.toString();
  }

  public int integer(String key, int fallback, int min, int max) {
    Object v = properties.get(key);
    if (v == null) {
      return fallback;
    }
    long n;
    if (v instanceof Number) {
      n = ((Number) v).longValue();
    } else {
      try {
        n = Long.parseLong(v.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "setting '" + key + "' = '" + v + "' is not a whole number (" + min + "-" + max + ")");
      }
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          "setting '" + key + "' = " + n + " is out of range; accepted: " + min + "-" + max);
    }
    return (int) n;
  }

  public boolean bool(String key, boolean fallback) {
    Object v = properties.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    String s = v.toString().trim();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException(
        "setting '" + key + "' = '" + v + "' is not a boolean; accepted: true or false");
  }
}
