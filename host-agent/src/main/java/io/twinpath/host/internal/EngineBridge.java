package io.twinpath.host.internal;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.engine.OperationResult;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.host.internal.bounce.Bounce;
import io.twinpath.host.internal.bounce.BounceDelivery;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.queue.QueueOps;
import io.twinpath.host.internal.status.DuplicateBook;
import io.twinpath.host.internal.status.OutcomeJournal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the host to the send engine: queued items go to the {@link Coordinator}; its events become
 * recorded outcomes (for {@code status}) and bounces in the Maildir. Event work runs on its own
 * thread, so the engine's thread is never held up by disk writes.
 */
final class EngineBridge implements QueueOps.Engine, TwinpathListener {
  private static final Logger LOG = LoggerFactory.getLogger(EngineBridge.class);

  /** What a bounce needs of an item after the engine has finished (and deleted) it. */
  private record Known(OutboundItem item, byte[] header) {}

  private final HostConfig config;
  private final Clock clock;
  private final OutcomeJournal journal;
  private final BounceDelivery bounces;
  private final Map<ItemId, Known> known = new ConcurrentHashMap<>();
  private final DuplicateBook duplicates;
  private final ExecutorService work =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "host-outcomes");
            t.setDaemon(true);
            return t;
          });
  private volatile @Nullable Coordinator coordinator;

  EngineBridge(HostConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.journal = new OutcomeJournal(config.outcomesFile());
    this.duplicates = new DuplicateBook(config.duplicatesFile(), config.duplicatesKeep());
    this.bounces = new BounceDelivery(config.maildir());
  }

  void attach(Coordinator c) {
    this.coordinator = c;
  }

  /** Remembers the items already queued (from before a restart) for their bounces. */
  void remember(Spool spool) {
    for (OutboundItem item : spool.list()) {
      if (item.origin().equals(config.device())) {
        rememberOne(spool, item);
      }
    }
  }

  private void rememberOne(Spool spool, OutboundItem item) {
    try (InputStream in = spool.openMessage(item.id())) {
      known.put(item.id(), new Known(item, Bounce.headerOf(in)));
    } catch (IOException e) {
      known.put(item.id(), new Known(item, new byte[0]));
    }
  }

  // ---------------------------------------------------------------- QueueOps.Engine

  private @Nullable Spool spool;

  void spool(Spool s) {
    this.spool = s;
  }

  @Override
  public void queued(OutboundItem item) {
    Spool s = spool;
    if (s != null) {
      rememberOne(s, item);
    }
    Coordinator c = coordinator;
    if (c != null) {
      c.submit(item);
    }
  }

  @Override
  public @Nullable OperationResult retryNow(ItemId id) {
    Coordinator c = coordinator;
    return c == null ? null : c.attemptNow(id);
  }

  @Override
  public @Nullable OperationResult cancel(ItemId id) {
    Coordinator c = coordinator;
    return c == null ? null : c.cancel(id);
  }

  @Override
  public JsonObject status() {
    Coordinator c = coordinator;
    JsonObject o = new JsonObject();
    if (c == null) {
      return o;
    }
    DeviceStatus s = c.status();
    JsonObject peers = new JsonObject();
    s.peers()
        .forEach(
            (d, state) -> {
              JsonObject p = new JsonObject();
              if (!state.equals("unknown")) {
                p.addProperty("online", state.equals("online"));
              }
              peers.add(d.value(), p);
            });
    o.add("peers", peers);
    JsonObject health = new JsonObject();
    String h = s.pathHealth();
    if (s.lastError() != null && !"ok".equals(h)) {
      h = h + ": " + s.lastError();
    }
    health.addProperty(config.device().value(), h);
    o.add("health", health);
    JsonObject items = new JsonObject();
    for (DeviceStatus.ItemView v : s.queue()) {
      JsonObject i = new JsonObject();
      i.addProperty("phase", v.phase());
      i.addProperty("holder", v.holder() == null ? null : v.holder().value());
      i.addProperty("epoch", v.epoch());
      i.addProperty("attempts", v.attempts());
      i.addProperty("possibleDuplicates", v.possibleDuplicates());
      i.addProperty("lastFailure", v.lastFailure());
      i.addProperty("copyComplete", v.copyComplete());
      items.add(v.item().toString(), i);
    }
    o.add("items", items);
    o.addProperty("connected", s.connected());
    return o;
  }

  // ---------------------------------------------------------------- TwinpathListener

  @Override
  public void possibleDuplicate(ItemId item, DeviceId device, int count) {
    Instant at = clock.instant();
    work.execute(() -> countDuplicates(item, count, at));
  }

  /** Keeps the item's count on disk at once (counted here or merged from a peer). */
  private void countDuplicates(ItemId item, int count, Instant at) {
    try {
      duplicates.raise(item.toString(), count, at);
    } catch (IOException e) {
      LOG.error("the possible duplicates of {} could not be recorded: {}", item, e.toString());
    }
  }

  /** The item's count: the larger of the one recorded here and the engine's (merged) one. */
  private int duplicatesOf(ItemId item) {
    int n = 0;
    try {
      n = duplicates.count(item.toString());
    } catch (IOException e) {
      LOG.warn("the possible duplicates of {} could not be read: {}", item, e.toString());
    }
    Coordinator c = coordinator;
    if (c != null) {
      try {
        int engine = c.outcome(item).map(DeviceStatus.Outcome::possibleDuplicates).orElse(0);
        if (engine > n) {
          n = engine;
          countDuplicates(item, n, clock.instant());
        }
      } catch (RuntimeException e) {
        LOG.debug("the engine's count of {} is not available: {}", item, e.toString());
      }
    }
    return n;
  }

  @Override
  public void delivered(ItemId item, DeviceId path, Instant at, String reply) {
    work.execute(
        () -> {
          JsonObject o = outcome(item, "delivered", path, at, reply);
          append(o);
          known.remove(item);
        });
  }

  @Override
  public void failed(ItemId item, DeviceId path, String reply, Map<String, String> rejected) {
    Instant at = clock.instant();
    work.execute(
        () -> {
          JsonObject o = outcome(item, "failed", path, at, reply);
          Known k = known.remove(item);
          if (k != null && k.item().origin().equals(config.device())) {
            Map<String, String> failures = new LinkedHashMap<>(rejected);
            if (failures.isEmpty()) {
              for (String r : k.item().envelope().recipients()) {
                failures.put(r, reply);
              }
            }
            List<Bounce.Failure> list = new ArrayList<>();
            failures.forEach((r, why) -> list.add(new Bounce.Failure(r, why, null)));
            String remote =
                path.equals(config.device()) && config.account() != null
                    ? config.account().host()
                    : null;
            bounce(o, k, path, remote, false, list, at);
          }
          append(o);
        });
  }

  @Override
  public void cancelled(ItemId item, DeviceId by) {
    Instant at = clock.instant();
    work.execute(
        () -> {
          append(outcome(item, "cancelled", by, at, "dropped from the queue on " + by));
          known.remove(item);
        });
  }

  @Override
  public void expired(ItemId item, Instant expiresAt) {
    Instant at = clock.instant();
    work.execute(
        () -> {
          JsonObject o =
              outcome(item, "expired", null, at, "not sent before it expired at " + expiresAt);
          Known k = known.remove(item);
          if (k != null && k.item().origin().equals(config.device())) {
            List<Bounce.Failure> list = new ArrayList<>();
            for (String r : k.item().envelope().recipients()) {
              list.add(
                  new Bounce.Failure(
                      r, "not sent before it expired (expiry " + config.expiry() + ")", "4.4.7"));
            }
            bounce(o, k, config.device(), null, true, list, at);
          }
          append(o);
        });
  }

  private JsonObject outcome(
      ItemId item, String result, @Nullable DeviceId path, Instant at, String reply) {
    JsonObject o = new JsonObject();
    o.addProperty("id", item.toString());
    o.addProperty("outcome", result);
    o.addProperty("path", path == null ? "" : path.value());
    o.addProperty("at", at.toString());
    o.addProperty("reply", reply);
    Known k = known.get(item);
    if (k != null) {
      com.google.gson.JsonArray to = new com.google.gson.JsonArray();
      k.item().envelope().recipients().forEach(to::add);
      o.add("to", to);
      o.addProperty("messageId", k.item().messageId());
      o.addProperty("sha256", k.item().sha256());
    }
    int d = duplicatesOf(item);
    if (d > 0) {
      o.addProperty("possibleDuplicate", d);
    }
    return o;
  }

  private void bounce(
      JsonObject outcome,
      Known k,
      DeviceId path,
      @Nullable String remote,
      boolean expired,
      List<Bounce.Failure> failures,
      Instant at) {
    try {
      Path file =
          bounces.deliver(
              new Bounce.Report(
                  k.item().id().toString(),
                  k.item().envelope().mailFrom(),
                  config.domain(),
                  remote,
                  path.value(),
                  expired,
                  k.item().createdAt(),
                  at,
                  failures,
                  k.header()));
      outcome.addProperty("bounce", file.toString());
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "item {} failed, and its bounce could not be delivered into {}: {}",
          k.item().id(),
          config.maildir(),
          e.toString());
    }
  }

  private void append(JsonObject o) {
    try {
      journal.append(o);
    } catch (IOException e) {
      LOG.error("the outcome of {} could not be recorded: {}", o.get("id"), e.toString());
    }
  }

  /** Waits for the outcome work queued so far. */
  void flush() {
    try {
      work.submit(() -> {}).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("flushing outcomes: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void close() {
    work.shutdown();
    try {
      work.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
