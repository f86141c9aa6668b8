package io.twinpath.host.internal.queue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.twinpath.core.Sha256;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.MessagePreparer;
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
import java.util.Objects;

/**
 * How a command reaches the queue: through the running daemon's control socket, or, when no daemon
 * runs, by opening the spool itself for the moment it needs it. Either way the same {@link
 * QueueOps} answer.
 */
public final class HostAccess {
  /** How long a command waits for a daemon that holds the spool but does not answer yet. */
  static final Duration DAEMON_STARTING = Duration.ofSeconds(15);

  /** How many lost answers a submission survives before it gives up. */
  static final int LOST_ANSWERS = 3;

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
    try {
      return attempt(request, body);
    } catch (AnswerLost e) {
      throw new SubmitException(
          SubmitException.Kind.TEMPORARY,
          "the twinpath-host daemon failed to answer: " + e.getMessage(),
          e);
    }
  }

  /** A daemon took the request but its answer never came (it died, or closed the connection). */
  private static final class AnswerLost extends Exception {
    private static final long serialVersionUID = 1L;

    AnswerLost(IOException cause) {
      super(Objects.requireNonNullElse(cause.getMessage(), cause.toString()), cause);
    }
  }

  private JsonObject attempt(JsonObject request, byte[] body) throws SubmitException, AnswerLost {
    Instant deadline = clock.instant().plus(DAEMON_STARTING);
    while (true) {
      try {
        return ControlClient.request(config.controlSocket(), request, body);
      } catch (ControlClient.NotRunningException e) {
        // no daemon: open the spool ourselves
      } catch (IOException e) {
        throw new AnswerLost(e);
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
        return submitPrepared(envelope, prepare(bytes));
      }

      @Override
      public long sizeLimit() {
        return config.sizeLimit();
      }
    };
  }

  /**
   * Adds {@code Date} and {@code Message-ID} when missing, here rather than in the daemon, so that
   * the bytes sent are the bytes stored and a queued copy can be recognised by its SHA-256.
   */
  private byte[] prepare(byte[] raw) throws SubmitException {
    try (InputStream in =
        MessagePreparer.prepare(
            new ByteArrayInputStream(raw),
            clock,
            config.domain(),
            config.sizeLimit() + SpoolOutbox.PREPARED_SLACK)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw SpoolOutbox.classify(e);
    } catch (IllegalArgumentException e) {
      throw new SubmitException(
          SubmitException.Kind.BAD_MESSAGE, "the message cannot be queued: " + e.getMessage(), e);
    }
  }

  /**
   * Submits prepared bytes. When the answer is lost (the daemon died or closed the connection after
   * taking the message), whether the message is queued is asked of whoever holds the spool now: a
   * queued copy is the answer, and only a message that is not queued is submitted again. So the
   * caller hears "queued" exactly when it is, and a retrying caller never queues it twice.
   */
  private ItemId submitPrepared(Envelope envelope, byte[] bytes) throws SubmitException {
    JsonObject submit = envelopeRequest("submit", envelope);
    submit.addProperty("prepared", true);
    JsonObject find = envelopeRequest("find", envelope);
    find.addProperty("sha256", Sha256.hex(bytes));
    find.addProperty("length", bytes.length);
    int lostAnswers = 0;
    boolean mayBeQueued = false;
    while (true) {
      try {
        if (mayBeQueued) {
          JsonObject found;
          try {
            found = attempt(find, new byte[0]);
          } catch (SubmitException e) {
            throw mayBeQueued(e);
          }
          if (!isOk(found)) {
            throw mayBeQueued(failure(found));
          }
          if (found.has("id")) {
            return ItemId.parse(found.get("id").getAsString());
          }
          mayBeQueued = false;
          if (lostAnswers >= LOST_ANSWERS) {
            throw new SubmitException(
                SubmitException.Kind.TEMPORARY,
                "the twinpath-host daemon failed to answer " + lostAnswers + " times");
          }
        }
        mayBeQueued = true;
        JsonObject answer = attempt(submit, bytes);
        if (isOk(answer)) {
          return ItemId.parse(answer.get("id").getAsString());
        }
        throw failure(answer);
      } catch (AnswerLost e) {
        lostAnswers++;
        if (lostAnswers > LOST_ANSWERS) {
          throw new SubmitException(
              SubmitException.Kind.TEMPORARY,
              "the twinpath-host daemon failed to answer "
                  + lostAnswers
                  + " times (last: "
                  + e.getMessage()
                  + "); the message may be queued: see 'twinpath-host queue list'",
              e);
        }
      }
    }
  }

  /** {@code e}, saying that nobody could tell whether the message is queued. */
  private static SubmitException mayBeQueued(SubmitException e) {
    return new SubmitException(
        e.kind(),
        e.getMessage()
            + "; the daemon took the message and did not answer, so it may be queued: see"
            + " 'twinpath-host queue list'",
        e);
  }

  private static JsonObject envelopeRequest(String op, Envelope envelope) {
    JsonObject r = new JsonObject();
    r.addProperty("op", op);
    r.addProperty("from", envelope.mailFrom());
    JsonArray to = new JsonArray();
    envelope.recipients().forEach(to::add);
    r.add("to", to);
    return r;
  }

  private static boolean isOk(JsonObject answer) {
    return answer.has("ok") && answer.get("ok").getAsBoolean();
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
