package io.twinpath.modemsim.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one command line: logs it, applies an injected failure, parses it and calls the handler of
 * each command in turn until one does not answer {@code OK}.
 */
final class CommandDispatcher {
  private final ModemCore core;
  private final Map<String, ModemCore.Handler> table = new HashMap<>();
  private final List<String> commandLog = new CopyOnWriteArrayList<>();
  private final Map<String, String> failures = new LinkedHashMap<>();
  private Duration replyDelay;

  CommandDispatcher(ModemCore core, Duration replyDelay) {
    this.core = core;
    this.replyDelay = replyDelay;
  }

  /** The command table the command sets register their handlers in. */
  Map<String, ModemCore.Handler> table() {
    return table;
  }

  List<String> commandLog() {
    return List.copyOf(commandLog);
  }

  /** Loop thread only. */
  void setReplyDelay(Duration d) {
    replyDelay = d;
  }

  void failCommand(String prefix, String result) {
    synchronized (failures) {
      failures.put(prefix.toUpperCase(Locale.ROOT), result);
    }
  }

  void clearCommandFailures() {
    synchronized (failures) {
      failures.clear();
    }
  }

  void commandLine(String raw) {
    String text = raw.strip();
    int at = text.toUpperCase(Locale.ROOT).indexOf("AT");
    if (at < 0) {
      return;
    }
    text = text.substring(at);
    commandLog.add(text);
    if (!replyDelay.isZero()) {
      LockSupport.parkNanos(replyDelay.toNanos());
    }
    String upper = text.toUpperCase(Locale.ROOT);
    synchronized (failures) {
      for (Map.Entry<String, String> f : failures.entrySet()) {
        if (upper.startsWith(f.getKey())) {
          core.line(f.getValue());
          return;
        }
      }
    }
    List<AtCommand> cmds;
    try {
      cmds = AtCommand.parseLine(text.substring(2));
    } catch (IllegalArgumentException e) {
      core.line("ERROR");
      return;
    }
    for (AtCommand c : cmds) {
      ModemCore.Handler h = table.get(c.name());
      if (h == null) {
        core.line("ERROR");
        return;
      }
      String result;
      try {
        result = h.handle(c);
      } catch (AtError e) {
        core.error(e);
        return;
      }
      if (result == null) {
        return;
      }
      if (!result.equals("OK")) {
        core.line(result);
        return;
      }
    }
    core.line("OK");
  }
}
