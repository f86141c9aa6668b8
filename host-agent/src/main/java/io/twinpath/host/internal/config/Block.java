package io.twinpath.host.internal.config;

import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One block of the file as it is read: {@code defaults}, an {@code account} or {@code twinpath},
 * with each of its values already parsed.
 */
final class Block {
  /** What a block is. */
  enum Kind {
    DEFAULTS,
    ACCOUNT,
    TWINPATH
  }

  /**
   * One {@code key value} line, parsed by its setting.
   *
   * @param source the file and line, e.g. {@code host.conf:12}
   * @param text the value as written (unquoted)
   * @param value what the setting parsed from it
   */
  record Entry(Setting<?> setting, int line, String source, String text, Object value) {
    String key() {
      return setting.key();
    }

    /** A failure about this line's value (hidden for a secret). */
    SettingException reject(String accepted) {
      SettingException e = new SettingException(key(), text, accepted).at(source);
      return setting.isSecret() ? e.hideValue() : e;
    }
  }

  final Kind kind;
  final String name;

  /** The line that starts the block; 0 for a block the file does not have. */
  final int line;

  final String source;

  /** The accounts this one inherits from, in the order written. */
  final List<String> parents;

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  Block(Kind kind, String name, int line, String source, List<String> parents) {
    this.kind = kind;
    this.name = name;
    this.line = line;
    this.source = source;
    this.parents = List.copyOf(parents);
  }

  /** Adds a line (the caller has checked that the key is not set yet). */
  void put(Entry e) {
    entries.put(e.key(), e);
  }

  @Nullable Entry entry(String key) {
    return entries.get(key);
  }

  /** The lines of this block alone (no inheritance). */
  KeyValues values() {
    return new KeyValues(entries, source);
  }

  /** How a message names the block: "account 'work'", "the 'twinpath' block". */
  String describe() {
    switch (kind) {
      case ACCOUNT:
        return "account '" + name + "'";
      case DEFAULTS:
        return "the 'defaults' block";
      default:
        return "the 'twinpath' block";
    }
  }
}
