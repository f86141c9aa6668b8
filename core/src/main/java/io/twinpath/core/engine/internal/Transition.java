package io.twinpath.core.engine.internal;

import java.util.List;

/** One cell of the table: the next phase and the actions, in order. */
public record Transition(Phase next, List<Action> actions) {
  public Transition {
    actions = List.copyOf(actions);
  }

  public boolean has(Action a) {
    return actions.contains(a);
  }
}
