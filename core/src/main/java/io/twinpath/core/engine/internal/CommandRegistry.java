package io.twinpath.core.engine.internal;

import io.twinpath.core.engine.CommandHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which handler takes a verified command: the engine's own command types by their exact name, the
 * commands of other parts of the product (e.g. {@code inbound.}) by the prefix they registered.
 */
final class CommandRegistry {
  private final Map<String, CommandHandler> types = new LinkedHashMap<>();
  private final Map<String, CommandHandler> prefixes = new LinkedHashMap<>();

  /** Registers a command type of the engine itself. */
  void type(String type, CommandHandler handler) {
    if (types.putIfAbsent(type, handler) != null) {
      throw new IllegalStateException("the command type '" + type + "' has two handlers");
    }
  }

  /** Registers the handler of every command type starting with {@code prefix}. */
  void prefix(String prefix, CommandHandler handler) {
    if (types.keySet().stream().anyMatch(t -> t.startsWith(prefix))) {
      throw new IllegalArgumentException(
          "command type prefix '" + prefix + "' would take command types of the engine itself");
    }
    prefixes.put(prefix, handler);
  }

  /** Whether {@code type} is a command type of the engine itself. */
  boolean isEngineType(String type) {
    return types.containsKey(type);
  }

  /** The handler of {@code type}, or null when none is registered for it. */
  @Nullable CommandHandler handlerFor(String type) {
    CommandHandler h = types.get(type);
    if (h != null) {
      return h;
    }
    for (Map.Entry<String, CommandHandler> e : prefixes.entrySet()) {
      if (type.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }
}
