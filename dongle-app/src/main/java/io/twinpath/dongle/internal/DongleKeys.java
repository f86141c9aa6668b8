package io.twinpath.dongle.internal;

import io.twinpath.core.config.Setting;
import io.twinpath.core.config.ValueParser;
import io.twinpath.core.config.Values;
import io.twinpath.secondary.SettingsTable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dongle file's settings: the secondary's {@link SettingsTable} with this device's defaults,
 * plus the embedded broker's own settings, and every key with its default.
 */
public final class DongleKeys {
  private static final ValueParser<Integer> LISTEN_PORT =
      ValueParser.of(
          "use a TCP port, 0 for any free port, or off (0-65535)",
          s -> {
            if (s.equalsIgnoreCase("off")) {
              return -1;
            }
            int n = Integer.parseInt(s);
            if (n < 0 || n > 65535) {
              throw new IllegalArgumentException("out of range");
            }
            return n;
          });

  public static final Setting<InetAddress> BROKER_ADDRESS =
      Setting.of("broker.address", Values.ipAddress(), "address the embedded broker listens on")
          .withDefault("127.0.0.1");
  public static final Setting<Integer> BROKER_PORT =
      Setting.of(
              "broker.port", LISTEN_PORT, "plain MQTT port of the embedded broker (off to disable)")
          .withDefault("1883");
  public static final Setting<Integer> BROKER_TLS_PORT =
      Setting.of("broker.tls.port", LISTEN_PORT, "TLS port of the embedded broker, e.g. 8883")
          .withDefault("off");
  public static final Setting<String> BROKER_TLS_KEYSTORE =
      Setting.of(
          "broker.tls.keystore",
          Values.text(),
          "PKCS12/JKS key store with the embedded broker's certificate");
  public static final Setting<String> BROKER_TLS_KEYSTORE_PASSWORD =
      Setting.of("broker.tls.keystore-password", Values.text(), "its password").asSecret();
  public static final Setting<Long> BROKER_MAX_MESSAGE_SIZE =
      Setting.of(
              "broker.max-message-size",
              Values.size(8 << 10, 256L << 20),
              "largest MQTT message the embedded broker accepts")
          .withDefault("256KB");

  /**
   * Every setting of the file, in documentation order: the secondary's table (with this device's
   * defaults) and the embedded broker's.
   */
  public static final List<Setting<?>> SETTINGS = settings();

  /** Every key, in documentation order, with its default ("" = unset) and meaning. */
  public static final Map<String, String[]> KEYS = keys();

  private DongleKeys() {}

  /** " (did you mean KEY?)" for the nearest known key, or "" when none is close. */
  static String suggestion(String key) {
    String best = null;
    int bestDistance = 4;
    for (String k : KEYS.keySet()) {
      int d = distance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static List<Setting<?>> settings() {
    List<Setting<?>> out = new ArrayList<>();
    for (Setting<?> s : SettingsTable.ALL) {
      if (s.key().equals(SettingsTable.PEERS_PUBLIC_KEY.key())) {
        continue; // the dongle pairs by command
      }
      if (s.key().equals(SettingsTable.DEVICE_ID.key())) {
        out.add(SettingsTable.DEVICE_ID.withDefault("dongle"));
      } else if (s.key().equals(SettingsTable.BROKER.key())) {
        out.add(SettingsTable.BROKER.withDefault("embedded"));
        out.addAll(
            List.of(
                BROKER_ADDRESS,
                BROKER_PORT,
                BROKER_TLS_PORT,
                BROKER_TLS_KEYSTORE,
                BROKER_TLS_KEYSTORE_PASSWORD,
                BROKER_MAX_MESSAGE_SIZE));
      } else {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /** The settings' keys with their defaults and meaning; each secret also as {@code key-file}. */
  private static Map<String, String[]> keys() {
    Map<String, String[]> k = new LinkedHashMap<>();
    for (Setting<?> s : SETTINGS) {
      k.put(s.key(), new String[] {s.defaultText().orElse(""), s.doc()});
      if (s.isSecret()) {
        k.put(s.key() + "-file", new String[] {"", "file holding it"});
      }
    }
    return Collections.unmodifiableMap(k);
  }
}
