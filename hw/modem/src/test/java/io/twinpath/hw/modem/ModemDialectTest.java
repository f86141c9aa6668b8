package io.twinpath.hw.modem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.hw.power.PowerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModemDialectTest {

  @Test
  void eachDialectCarriesItsModulesPowerTimings() {
    PowerConfig sim7600 = ModemDialect.SIM7600.power(6).build();
    assertThat(sim7600.powerKeyPin()).isEqualTo(6);
    assertThat(sim7600.powerOnPulse()).isEqualTo(Duration.ofSeconds(2));
    assertThat(sim7600.powerOffPulse()).isEqualTo(Duration.ofSeconds(3));
    assertThat(sim7600.bootTime()).isEqualTo(Duration.ofSeconds(20));
    assertThat(sim7600.shutdownTime()).isEqualTo(Duration.ofSeconds(5));
    assertThat(sim7600.resetPin()).isNull();

    PowerConfig ec25 = ModemDialect.EC25.power(17).resetPin(27).build();
    assertThat(ec25.powerOnPulse()).isEqualTo(Duration.ofMillis(1500));
    assertThat(ec25.powerOffPulse()).isEqualTo(Duration.ofMillis(1500));
    assertThat(ec25.resetPulse()).isEqualTo(Duration.ofMillis(500));
    assertThat(ec25.bootTime()).isEqualTo(Duration.ofSeconds(15));
    assertThat(ec25.shutdownTime()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ec25.resetPin()).isEqualTo(27);
  }

  @Test
  void aPinThatIsNoGpioIsRefused() {
    assertThatThrownBy(() -> ModemDialect.EC25.power(40))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("40");
  }
}
