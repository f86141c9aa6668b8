package io.twinpath.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.power.PowerConfig;
import io.twinpath.hw.serial.SerialSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each setting is checked as it is set, and a bad one names its key, the value and the range. */
class SecondarySettingsTest {
  private static SecondarySettings.ModemBuilder modem() {
    return SecondarySettings.Modem.builder(
        SerialSettings.of("/dev/ttyUSB2"), ModemDialect.SIM7600, ModemConfig.builder().build());
  }

  @Test
  void gpioWiringFollowsTheDialectsTimings() {
    PowerConfig sim = SecondarySettings.gpio(ModemDialect.SIM7600, 6, null);
    assertThat(sim).isNotNull();
    assertThat(sim.powerKeyPin()).isEqualTo(6);
    assertThat(sim.resetPin()).isNull();
    assertThat(sim.powerOnPulse()).isEqualTo(Duration.ofSeconds(2));
    assertThat(sim.bootTime()).isEqualTo(Duration.ofSeconds(20));
    PowerConfig ec25 = SecondarySettings.gpio(ModemDialect.EC25, 17, 27);
    assertThat(ec25).isNotNull();
    assertThat(ec25.resetPin()).isEqualTo(27);
    assertThat(ec25.powerOnPulse()).isEqualTo(Duration.ofMillis(1500));
    assertThat(SecondarySettings.gpio(ModemDialect.EC25, null, null)).isNull();
  }

  @Test
  void badGpioWiringNamesTheKey() {
    assertThatThrownBy(() -> SecondarySettings.gpio(ModemDialect.SIM7600, null, 5))
        .hasMessageStartingWith("gpio.reset-pin = '5' is not accepted: set gpio.power-pin");
    assertThatThrownBy(() -> SecondarySettings.gpio(ModemDialect.SIM7600, 40, null))
        .hasMessage("gpio.power-pin = '40' is not accepted: use a BCM GPIO number, 0-27");
    assertThatThrownBy(() -> SecondarySettings.gpio(ModemDialect.SIM7600, 6, 6))
        .hasMessageContaining("gpio.reset-pin = '6' is not accepted: use a different pin");
  }

  @Test
  void recoverySettingsAreBounded() {
    SecondarySettings.Modem m =
        modem()
            .recoveryAfter(5)
            .recoveryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5))
            .build();
    assertThat(m.recoveryAfter()).isEqualTo(5);
    assertThat(m.recoveryBackoffMax()).isEqualTo(Duration.ofMinutes(5));
    SecondarySettings.Modem d = modem().build();
    assertThat(d.recoveryAfter()).isEqualTo(3);
    assertThat(d.recoveryBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.recoveryBackoffMax()).isEqualTo(Duration.ofMinutes(30));
    assertThatThrownBy(() -> modem().recoveryAfter(0))
        .hasMessageStartingWith(
            "modem.recovery-after = '0' is not accepted: use a number of failed health checks in"
                + " a row, 1-100");
    assertThatThrownBy(() -> modem().recoveryBackoff(Duration.ofMinutes(5), Duration.ofMinutes(1)))
        .hasMessageStartingWith("modem.recovery-backoff-max = '1m' is not accepted");
    assertThatThrownBy(() -> modem().poll(Duration.ofHours(1)))
        .hasMessageStartingWith("modem.poll = '1h' is not accepted");
  }

  @Test
  void smsNumbersMustBePhoneNumbers() {
    assertThatThrownBy(
            () ->
                SecondarySettings.builder()
                    .sms(List.of("+4915112345678", "call me"), Duration.ofMinutes(15)))
        .hasMessageStartingWith("sms.numbers = '+4915112345678,call me' is not accepted");
    assertThatThrownBy(
            () -> SecondarySettings.builder().sms(List.of("+4915112345678"), Duration.ofSeconds(5)))
        .hasMessageStartingWith("sms.delay = '5s' is not accepted");
  }
}
