package io.twinpath.hw.modem.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModemStateTest {
  @Test
  void aConnectWaitsForASocketToBeFreedInsteadOfFailing() throws Exception {
    ModemState state = new ModemState(2);
    Link a = state.allocate(Duration.ZERO);
    state.allocate(Duration.ZERO);
    assertThat(state.open()).isEqualTo(2);

    CompletableFuture<Link> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return state.allocate(Duration.ofSeconds(30));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(waiting).isNotDone();
    state.free(a);
    Link c = waiting.get(10, TimeUnit.SECONDS);
    assertThat(c.id()).isEqualTo(a.id());
    assertThat(state.open()).isEqualTo(2);
  }

  @Test
  void allSocketsBusyForTheWholeWaitIsAnErrorThatSaysSo() throws Exception {
    ModemState state = new ModemState(1);
    state.allocate(Duration.ZERO);
    assertThatThrownBy(() -> state.allocate(Duration.ZERO))
        .isInstanceOf(IOException.class)
        .hasMessage("all 1 modem sockets are in use");
    assertThatThrownBy(() -> state.allocate(Duration.ofMillis(50)))
        .isInstanceOf(IOException.class)
        .hasMessage("all 1 modem sockets are in use (waited PT0.05S for one)");
  }
}
