package io.twinpath.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemComponentsTest {
  @Test
  void findsProgramsOnThePathAndNotMissingOnes() {
    assertThat(SystemComponents.findCommand("sh")).isPresent();
    assertThat(SystemComponents.findCommand("no-such-program-twinpath")).isEmpty();
  }
}
