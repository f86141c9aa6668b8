package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table, applied: looks up the transition of an item's phase on a trigger in the pure {@link
 * TransitionTable}, moves the item there and hands each of its actions to the handler registered
 * for it. It decides nothing itself; the handlers apply, they do not decide.
 */
final class StateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(StateMachine.class);

  /** Applies one action of a transition to an item. */
  @FunctionalInterface
  interface ActionHandler {
    void apply(ItemRecord r, Trigger trigger, TriggerData data);
  }

  private final DeviceId self;
  private final Records records;
  private final StatusBook status;
  private final Map<Action, ActionHandler> actions = new EnumMap<>(Action.class);
  private final Map<Phase, List<Consumer<ItemRecord>>> onLeave = new EnumMap<>(Phase.class);
  private final Map<Phase, List<Consumer<ItemRecord>>> onEnter = new EnumMap<>(Phase.class);

  StateMachine(DeviceId self, Records records, StatusBook status) {
    this.self = self;
    this.records = records;
    this.status = status;
  }

  /** Registers the handler of an action; each action has exactly one. */
  void on(Action action, ActionHandler handler) {
    if (actions.putIfAbsent(action, handler) != null) {
      throw new IllegalStateException("the action " + action + " has two handlers");
    }
  }

  /** Runs {@code hook} after a transition that took an item out of {@code phase}. */
  void onLeave(Phase phase, Consumer<ItemRecord> hook) {
    onLeave.computeIfAbsent(phase, p -> new ArrayList<>()).add(hook);
  }

  /** Runs {@code hook} after a transition (saved) that brought an item into {@code phase}. */
  void onEnter(Phase phase, Consumer<ItemRecord> hook) {
    onEnter.computeIfAbsent(phase, p -> new ArrayList<>()).add(hook);
  }

  /** Checks that every action of the table has its handler. */
  void checkComplete() {
    for (Action a : Action.values()) {
      if (!actions.containsKey(a)) {
        throw new IllegalStateException("no handler applies the action " + a);
      }
    }
  }

  void fire(ItemRecord r, Trigger trigger) {
    fire(r, trigger, TriggerData.NONE);
  }

  void fire(ItemRecord r, Trigger trigger, TriggerData data) {
    Phase before = r.phase;
    Transition t = TransitionTable.next(before, trigger);
    boolean changed = t.next() != before || !t.actions().isEmpty();
    if (changed) {
      LOG.debug("{}: {} {} x {} -> {}", self, r.meta.id(), before, trigger, t);
    }
    r.phase = t.next();
    for (Action a : t.actions()) {
      Objects.requireNonNull(actions.get(a), "no handler applies " + a).apply(r, trigger, data);
    }
    if (before != r.phase) {
      onLeave.getOrDefault(before, List.of()).forEach(h -> h.accept(r));
    }
    if (changed) {
      records.save(r);
      status.markDirty();
    }
    if (before != r.phase) {
      onEnter.getOrDefault(r.phase, List.of()).forEach(h -> h.accept(r));
    }
  }
}
