package io.twinpath.host.internal.queue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.spool.Spool;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.control.ControlClient;
import io.twinpath.host.internal.submit.LimitedInputStream;
import io.twinpath.host.internal.submit.Outbox;
import io.twinpath.host.internal.submit.SubmitException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How a command reaches the queue: through the running daemon's control socket, or, when no daemon
 * runs, by opening the spool itself for the moment it needs it. Either way the same {@link
 * QueueOps} answer.
 */
public final class HostAccess {
  /** How long a command waits for a daemon that holds the spool but does not answer yet. */
  static final Duration DAEMON_STARTING = Duration.ofSeconds(15);

  private final HostConfig config;
  private final Clock clock;

  public HostAccess(HostConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Whether a daemon answers on the control socket now. */
  public boolean daemonRunning() {
    try {
      JsonObject r = new JsonObject();
      r.addProperty("op", "ping");
      ControlClient.request(config.controlSocket(), r, null);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs one request, on the daemon when it runs, else on the spool directly.
   *
   * @throws SubmitException when neither is possible (the kind says why)
   */
  public JsonObject request(JsonObject request, byte[] body) throws SubmitException {
    Instant deadline = clock.instant().plus(DAEMON_STARTING);
    while (true) {
      try {
        return ControlClient.request(config.controlSocket(), request, body);
      } catch (ControlClient.NotRunningException e) {
        // no daemon: open the spool ourselves
      } catch (IOException e) {
        throw new SubmitException(
            SubmitException.Kind.TEMPORARY,
            "the twinpath-host daemon failed to answer: " + e.getMessage(),
            e);
      }
      try {
        Files.createDirectories(config.spoolDir());
      } catch (IOException e) {
        throw new SubmitException(
            SubmitException.Kind.CANNOT_CREATE,
            "the spool directory "
                + config.spoolDir()
                + " cannot be created ("
                + e
                + "); check 'spool' in host.conf and the directory's permissions",
            e);
      }
      Spool spool;
      try {
        spool = Spool.open(config.spoolDir());
      } catch (IOException e) {
        // another process holds it: most likely a daemon that is starting; ask it again
        if (clock.instant().isBefore(deadline)) {
          pause();
          continue;
        }
        throw new SubmitException(
            SubmitException.Kind.TEMPORARY,
            "the spool " + config.spoolDir() + " cannot be opened: " + e.getMessage(),
            e);
      }
      try (spool) {
        QueueOps ops = new QueueOps(spool, config, clock, QueueOps.Engine.NONE, false);
        return ops.handle(request, new ByteArrayInputStream(body));
      } catch (IOException e) {
        throw new SubmitException(
            SubmitException.Kind.TEMPORARY, "the spool failed: " + e.getMessage(), e);
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The outbox the sendmail command queues into. */
  public Outbox outbox() {
    return new Outbox() {
      @Override
      public ItemId submit(Envelope envelope, InputStream message) throws SubmitException {
        byte[] bytes;
        try {
          bytes = new LimitedInputStream(message, config.sizeLimit()).readAllBytes();
        } catch (LimitedInputStream.TooLargeException e) {
          throw new SubmitException(SubmitException.Kind.TOO_LARGE, e.getMessage(), e);
        } catch (IOException e) {
          throw new SubmitException(
              SubmitException.Kind.TEMPORARY, "reading the message failed: " + e, e);
        }
        JsonObject r = new JsonObject();
        r.addProperty("op", "submit");
        r.addProperty("from", envelope.mailFrom());
        JsonArray to = new JsonArray();
        envelope.recipients().forEach(to::add);
        r.add("to", to);
        JsonObject answer = request(r, bytes);
        if (answer.has("ok") && answer.get("ok").getAsBoolean()) {
          return ItemId.parse(answer.get("id").getAsString());
        }
        throw failure(answer);
      }

      @Override
      public long sizeLimit() {
        return config.sizeLimit();
      }
    };
  }

  /** The exception an error answer stands for. */
  public static SubmitException failure(JsonObject answer) {
    String kind = answer.has("kind") ? answer.get("kind").getAsString() : "";
    String message = answer.has("message") ? answer.get("message").getAsString() : "failed";
    SubmitException.Kind k;
    try {
      k = SubmitException.Kind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      k = SubmitException.Kind.TEMPORARY;
    }
    return new SubmitException(k, message);
  }
}
