package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.engine.ItemMeta;
import io.twinpath.core.engine.ItemStore;
import io.twinpath.core.engine.Scheduler;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.wire.Command;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every handler of the engine shares: this device and its order, the store, the records, the
 * state machine, the outbox, the status and the timers. Engine thread only, like the handlers.
 */
final class EngineParts {
  private static final Logger LOG = LoggerFactory.getLogger(EngineParts.class);

  final DeviceId self;
  final Peers peers;
  final ItemStore store;
  final Clock clock;
  final CoordinatorSettings settings;
  final TwinpathListener events;
  final Scheduler scheduler;
  final EngineLoop loop;
  final Outbox outbox;
  final Records records;
  final StatusBook status;
  final StateMachine machine;
  final ExpiryTimer expiry;

  EngineParts(
      Peers peers,
      ItemStore store,
      Clock clock,
      CoordinatorSettings settings,
      TwinpathListener events,
      Scheduler scheduler,
      EngineLoop loop,
      Outbox outbox,
      Records records,
      StatusBook status) {
    this.self = peers.self();
    this.peers = peers;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.events = events;
    this.scheduler = scheduler;
    this.loop = loop;
    this.outbox = outbox;
    this.records = records;
    this.status = status;
    this.machine = new StateMachine(self, records, status);
    this.expiry = new ExpiryTimer(this);
  }

  /** Refuses a command: logged and reported to the listeners. */
  void reject(Command c, String why) {
    LOG.warn("{}: refused {} from {}: {}", self, c.type(), c.from(), why);
    events.commandRejected(c.from().value(), why);
  }

  /**
   * True (after refusing the command) when it is about an item not known here whose expiry has
   * passed: one finished and forgotten, or a stale command; it must not start anything again.
   */
  boolean refuseForgotten(Command c, ItemMeta meta) {
    if (records.has(meta.id()) || clock.instant().isBefore(meta.expiresAt())) {
      return false;
    }
    reject(
        c,
        "item "
            + meta.id()
            + " expired at "
            + meta.expiresAt()
            + " and is not known here (finished and forgotten, or never seen): nothing to do");
    return true;
  }

  /** The record of an item a peer tells about, made when it is new here (its origin holds it). */
  ItemRecord recordFor(ItemMeta meta) {
    ItemRecord r = records.get(meta.id());
    if (r == null) {
      r = new ItemRecord(meta);
      r.holder = meta.origin();
      r.epoch = Math.max(0, peers.indexOf(meta.origin()));
      r.copyComplete = store.get(meta.id()).isPresent();
      records.put(r);
      // not forced to disk: a new item another device holds the turn of; after a power loss the
      // next offer or turn creates it again, and a complete copy is adopted from the store at start
      records.saveLightly(r);
      expiry.schedule(r);
    }
    return r;
  }
}
