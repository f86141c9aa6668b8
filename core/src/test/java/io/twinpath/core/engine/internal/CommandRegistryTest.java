package io.twinpath.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.engine.CommandHandler;
import org.junit.jupiter.api.Test;

/** How a received command type finds its handler. */
class CommandRegistryTest {
  final CommandHandler turn = c -> {};
  final CommandHandler copyOffer = c -> {};
  final CommandHandler inbound = c -> {};

  CommandRegistry registry() {
    CommandRegistry r = new CommandRegistry();
    r.type("turn", turn);
    r.type("copy.offer", copyOffer);
    r.prefix("inbound.", inbound);
    return r;
  }

  @Test
  void engineTypesMatchExactlyAndOtherPartsByPrefix() {
    CommandRegistry r = registry();
    assertThat(r.handlerFor("turn")).isSameAs(turn);
    assertThat(r.handlerFor("copy.offer")).isSameAs(copyOffer);
    assertThat(r.handlerFor("inbound.seen")).isSameAs(inbound);
    assertThat(r.handlerFor("turns")).isNull();
    assertThat(r.handlerFor("copy.other")).isNull();
    assertThat(r.isEngineType("turn")).isTrue();
    assertThat(r.isEngineType("inbound.seen")).isFalse();
  }

  @Test
  void aTypeHasOneHandlerAndNoPrefixTakesTheEnginesTypes() {
    CommandRegistry r = registry();
    assertThatThrownBy(() -> r.type("turn", c -> {})).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> r.prefix("copy.", c -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
