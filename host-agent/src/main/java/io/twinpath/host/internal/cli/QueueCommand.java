package io.twinpath.host.internal.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.item.ItemId;
import io.twinpath.host.internal.config.ConfigException;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.queue.HostAccess;
import io.twinpath.host.internal.submit.SubmitException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code twinpath-host queue list | retry ID | drop ID}. */
@Command(
    name = "queue",
    description = "List the queued messages, retry one now, or drop one.",
    subcommands = {QueueCommand.ListItems.class, QueueCommand.Retry.class, QueueCommand.Drop.class})
public final class QueueCommand implements Callable<Integer> {
  private final Env env;

  public QueueCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    env.err().println("twinpath-host queue: say list, retry ID or drop ID");
    return Exits.USAGE;
  }

  /** Prints the queue (also {@code sendmail -bp}); returns the exit status. */
  static int printQueue(Env env, HostConfig c, PrintStream out, boolean json) {
    JsonObject status;
    try {
      status = StatusCommand.status(env, c, true);
    } catch (SubmitException e) {
      env.err().println("twinpath-host: " + e.getMessage());
      return Exits.of(e);
    }
    JsonArray queue = status.getAsJsonArray("queue");
    if (json) {
      out.println(Json.pretty(queue));
      return Exits.OK;
    }
    if (queue.size() == 0) {
      out.println("the queue is empty");
      return Exits.OK;
    }
    for (JsonElement e : queue) {
      JsonObject q = e.getAsJsonObject();
      StringBuilder to = new StringBuilder();
      for (JsonElement r : q.getAsJsonArray("to")) {
        to.append(to.length() > 0 ? ", " : "").append(r.getAsString());
      }
      out.println(
          q.get("id").getAsString()
              + "  "
              + q.get("size").getAsLong()
              + " bytes  queued "
              + q.get("createdAt").getAsString()
              + "  <"
              + q.get("from").getAsString()
              + "> -> "
              + to);
    }
    out.println(queue.size() + (queue.size() == 1 ? " message" : " messages") + " queued");
    return Exits.OK;
  }

  abstract static class Base implements Callable<Integer> {
    final Env env;

    @Option(names = "--config", paramLabel = "FILE", description = "the config file")
    @Nullable Path config;

    Base(Env env) {
      this.env = env;
    }

    @Nullable HostConfig load() {
      try {
        return env.config(config);
      } catch (ConfigException e) {
        env.err().println("twinpath-host: " + e.getMessage());
        return null;
      }
    }

    int act(String op, String id) {
      HostConfig c = load();
      if (c == null) {
        return Exits.CONFIG;
      }
      try {
        ItemId.parse(id);
      } catch (IllegalArgumentException e) {
        env.err().println("twinpath-host: " + e.getMessage());
        return Exits.USAGE;
      }
      JsonObject r = new JsonObject();
      r.addProperty("op", op);
      r.addProperty("id", id);
      JsonObject answer;
      try {
        answer = new HostAccess(c, env.clock()).request(r, new byte[0]);
      } catch (SubmitException e) {
        env.err().println("twinpath-host: " + e.getMessage());
        return Exits.of(e);
      }
      if (answer.has("ok") && answer.get("ok").getAsBoolean()) {
        env.out().println(answer.has("message") ? answer.get("message").getAsString() : "done");
        return Exits.OK;
      }
      env.err().println("twinpath-host: " + answer.get("message").getAsString());
      return "NOT_FOUND".equals(answer.get("kind").getAsString()) ? Exits.DATAERR : Exits.TEMPFAIL;
    }
  }

  /** {@code queue list}. */
  @Command(name = "list", description = "List the queued messages, oldest first.")
  static final class ListItems extends Base {
    @Option(names = "--json", description = "print the queue as JSON")
    boolean json;

    ListItems(Env env) {
      super(env);
    }

    @Override
    public Integer call() {
      HostConfig c = load();
      return c == null ? Exits.CONFIG : printQueue(env, c, env.out(), json);
    }
  }

  /** {@code queue retry ID}. */
  @Command(name = "retry", description = "Attempt a queued message now.")
  static final class Retry extends Base {
    @Parameters(paramLabel = "ID", description = "the item id shown by queue list")
    String id = "";

    Retry(Env env) {
      super(env);
    }

    @Override
    public Integer call() {
      return act("retry", id);
    }
  }

  /** {@code queue drop ID}. */
  @Command(name = "drop", description = "Remove a queued message; it will not be sent.")
  static final class Drop extends Base {
    @Parameters(paramLabel = "ID", description = "the item id shown by queue list")
    String id = "";

    Drop(Env env) {
      super(env);
    }

    @Override
    public Integer call() {
      return act("drop", id);
    }
  }
}
