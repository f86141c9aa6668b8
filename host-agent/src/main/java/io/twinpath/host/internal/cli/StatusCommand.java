package io.twinpath.host.internal.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.host.internal.config.ConfigException;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.queue.HostAccess;
import io.twinpath.host.internal.status.PresenceProbe;
import io.twinpath.host.internal.status.StatusReport;
import io.twinpath.host.internal.submit.SubmitException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinpath-host status}: paths, peers, queue, recent outcomes, possible duplicates. */
@Command(name = "status", description = "Show the paths, the peers, the queue and recent outcomes.")
public final class StatusCommand implements Callable<Integer> {
  private final Env env;

  @Option(names = "--config", paramLabel = "FILE", description = "the config file")
  @Nullable Path config;

  @Option(names = "--json", description = "print the status as one JSON document")
  boolean json;

  @Option(
      names = "--no-broker",
      description = "do not ask the MQTT broker whether the peers are online")
  boolean noBroker;

  public StatusCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    HostConfig c;
    try {
      c = env.config(config);
    } catch (ConfigException e) {
      env.err().println("twinpath-host: " + e.getMessage());
      return Exits.CONFIG;
    }
    JsonObject status;
    try {
      status = status(env, c, noBroker);
    } catch (SubmitException e) {
      env.err().println("twinpath-host: " + e.getMessage());
      return Exits.of(e);
    }
    if (json) {
      env.out().println(Json.pretty(status));
    } else {
      env.out().print(StatusReport.render(status));
    }
    env.out().flush();
    return Exits.OK;
  }

  /** The status document, from the daemon or from the spool, with peer presence filled in. */
  static JsonObject status(Env env, HostConfig c, boolean noBroker) throws SubmitException {
    JsonObject request = new JsonObject();
    request.addProperty("op", "status");
    JsonObject answer = new HostAccess(c, env.clock()).request(request, new byte[0]);
    if (!answer.has("ok") || !answer.get("ok").getAsBoolean()) {
      throw HostAccess.failure(answer);
    }
    JsonObject status = answer.getAsJsonObject("status");
    boolean known = false;
    for (JsonElement e : status.getAsJsonArray("paths")) {
      if (e.getAsJsonObject().has("online")) {
        known = true;
      }
    }
    if (!known && !noBroker && !c.peers().isEmpty()) {
      try {
        JsonObject peers = PresenceProbe.read(c.broker(), c.peers(), Duration.ofSeconds(2));
        for (JsonElement e : status.getAsJsonArray("paths")) {
          JsonObject p = e.getAsJsonObject();
          JsonObject seen = peers.getAsJsonObject(p.get("device").getAsString());
          if (seen != null && !p.get("own").getAsBoolean()) {
            p.add("online", seen.get("online"));
            if (seen.has("since")) {
              p.add("since", seen.get("since"));
            }
          }
        }
        status.add("broker", StatusReport.broker(c.broker().url(), true, null));
      } catch (IOException e) {
        status.add("broker", StatusReport.broker(c.broker().url(), false, e.getMessage()));
      }
    }
    return status;
  }
}
