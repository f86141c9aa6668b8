package io.twinpath.host.internal.queue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.engine.OperationResult;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.Spool;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.control.ControlClient;
import io.twinpath.host.internal.status.OutcomeJournal;
import io.twinpath.host.internal.status.StatusReport;
import io.twinpath.host.internal.submit.SubmitException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The operations on the queue, the same whether the daemon runs them (for a request on its control
 * socket) or a command runs them on a spool it opened itself.
 */
public final class QueueOps {
  /** What the send engine adds when it runs (the daemon); a command alone has none. */
  public interface Engine {
    /** The item was queued. */
    void queued(OutboundItem item);

    /** Asks for an attempt now: the engine's answer, or null when no engine runs. */
    @Nullable OperationResult retryNow(ItemId id);

    /**
     * Stops the item everywhere (peers delete their copies, the engine deletes it from the spool):
     * the engine's answer, or null when no engine runs.
     */
    @Nullable OperationResult cancel(ItemId id);

    /** Engine facts for {@code status} (peers, paths, turns); may be empty. */
    JsonObject status();

    /** No engine: nothing is sent until the daemon runs. */
    Engine NONE =
        new Engine() {
          @Override
          public void queued(OutboundItem item) {}

          @Override
          public @Nullable OperationResult retryNow(ItemId id) {
            return null;
          }

          @Override
          public @Nullable OperationResult cancel(ItemId id) {
            return null;
          }

          @Override
          public JsonObject status() {
            return new JsonObject();
          }
        };
  }

  private final Spool spool;
  private final HostConfig config;
  private final Clock clock;
  private final Engine engine;
  private final boolean daemon;
  private final SpoolOutbox outbox;

  public QueueOps(Spool spool, HostConfig config, Clock clock, Engine engine, boolean daemon) {
    this.spool = spool;
    this.config = config;
    this.clock = clock;
    this.engine = engine;
    this.daemon = daemon;
    Consumer<OutboundItem> onQueued = engine::queued;
    this.outbox = new SpoolOutbox(spool, config, clock, onQueued);
  }

  public SpoolOutbox outbox() {
    return outbox;
  }

  /**
   * Answers one request: {@code submit}, {@code find}, {@code status}, {@code retry}, {@code drop}.
   */
  public JsonObject handle(JsonObject request, InputStream body) throws IOException {
    String op = request.has("op") ? request.get("op").getAsString() : "";
    switch (op) {
      case "submit":
        return submit(request, body);
      case "find":
        return find(request);
      case "status":
        JsonObject answer = ControlClient.ok();
        answer.add("status", status());
        return answer;
      case "retry":
        return retry(request);
      case "drop":
        return drop(request);
      default:
        return ControlClient.error("BAD_REQUEST", "unknown operation '" + op + "'");
    }
  }

  private JsonObject submit(JsonObject request, InputStream body) {
    Envelope envelope;
    try {
      List<String> to = new ArrayList<>();
      for (JsonElement e : request.getAsJsonArray("to")) {
        to.add(e.getAsString());
      }
      envelope = Envelope.of(request.get("from").getAsString(), to);
    } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
      return ControlClient.error("BAD_MESSAGE", "the envelope is not usable: " + e.getMessage());
    }
    boolean prepared = request.has("prepared") && request.get("prepared").getAsBoolean();
    long limit = config.sizeLimit() + (prepared ? SpoolOutbox.PREPARED_SLACK : 0);
    try {
      ItemId id = outbox.submit(envelope, body, limit);
      JsonObject ok = ControlClient.ok();
      ok.addProperty("id", id.toString());
      return ok;
    } catch (SubmitException e) {
      return ControlClient.error(e.kind().name(), e.getMessage());
    }
  }

  /**
   * Whether a submitted message is queued: the queued item with this envelope, SHA-256 and size
   * ({@code id} in the answer), else a finished item with this SHA-256 and these recipients in the
   * outcome journal (queued, then delivered or failed before the question came), else none (no
   * {@code id}). A client that lost the answer to its {@code submit} asks this before it submits
   * again.
   */
  private JsonObject find(JsonObject request) throws IOException {
    Envelope envelope;
    String sha256;
    long size;
    try {
      List<String> to = new ArrayList<>();
      for (JsonElement e : request.getAsJsonArray("to")) {
        to.add(e.getAsString());
      }
      envelope = Envelope.of(request.get("from").getAsString(), to);
      sha256 = request.get("sha256").getAsString();
      size = request.get("length").getAsLong();
    } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
      return ControlClient.error("BAD_REQUEST", "the find request is not usable: " + e);
    }
    JsonObject ok = ControlClient.ok();
    for (OutboundItem i : spool.list()) {
      if (i.size() == size
          && i.sha256().equalsIgnoreCase(sha256)
          && i.envelope().equals(envelope)) {
        ok.addProperty("id", i.id().toString());
        return ok;
      }
    }
    JsonArray recipients = new JsonArray();
    envelope.recipients().forEach(recipients::add);
    for (JsonObject o : new OutcomeJournal(config.outcomesFile()).recent(Integer.MAX_VALUE)) {
      if (o.has("sha256")
          && o.get("sha256").getAsString().equalsIgnoreCase(sha256)
          && recipients.equals(o.get("to"))
          && o.has("id")) {
        ok.addProperty("id", o.get("id").getAsString());
        ok.addProperty("finished", text(o, "outcome"));
        return ok;
      }
    }
    return ok;
  }

  private JsonObject retry(JsonObject request) {
    Optional<ItemId> id = itemId(request);
    if (id.isEmpty() || spool.get(id.get()).isEmpty()) {
      return ControlClient.error("NOT_FOUND", "no queued item " + text(request, "id"));
    }
    JsonObject ok = ControlClient.ok();
    OperationResult r = engine.retryNow(id.get());
    if (r != null) {
      ok.addProperty("message", r.message());
      ok.addProperty("done", r.done());
    } else if (daemon) {
      ok.addProperty("message", "item " + id.get() + " is queued; the engine will attempt it");
    } else {
      ok.addProperty(
          "message",
          "item "
              + id.get()
              + " is queued; twinpath-host is not running, so it will be attempted when it starts");
    }
    return ok;
  }

  private JsonObject drop(JsonObject request) throws IOException {
    Optional<ItemId> id = itemId(request);
    if (id.isEmpty() || spool.get(id.get()).isEmpty()) {
      return ControlClient.error("NOT_FOUND", "no queued item " + text(request, "id"));
    }
    OperationResult r = engine.cancel(id.get());
    if (r != null) {
      if (!r.done()) {
        return ControlClient.error("BUSY", r.message());
      }
      spool.delete(id.get()); // the engine deleted it already; nothing when absent
      JsonObject ok = ControlClient.ok();
      ok.addProperty("message", r.message());
      return ok;
    }
    spool.delete(id.get());
    JsonObject ok = ControlClient.ok();
    ok.addProperty(
        "message",
        "item "
            + id.get()
            + " is removed from this laptop's queue; a copy a peer received earlier is not"
            + " touched");
    return ok;
  }

  private static Optional<ItemId> itemId(JsonObject request) {
    try {
      return Optional.of(ItemId.parse(text(request, "id")));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonObject o, String key) {
    return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : "";
  }

  /** The status document (see {@link StatusReport}). */
  public JsonObject status() throws IOException {
    JsonObject s = StatusReport.build(spool, config, clock, daemon, engine.status());
    return s;
  }

  /** One queued item. */
  public OutboundItem item(String id) throws IOException {
    return spool
        .get(ItemId.parse(id))
        .orElseThrow(() -> new java.nio.file.NoSuchFileException("no queued item " + id));
  }

  /** The exact bytes of a queued item. */
  public InputStream open(ItemId id) throws IOException {
    return spool.openMessage(id);
  }

  /** For tests and {@code queue list}: the ids queued now. */
  public JsonArray ids() {
    JsonArray a = new JsonArray();
    for (OutboundItem i : spool.list()) {
      a.add(i.id().toString());
    }
    return a;
  }
}
