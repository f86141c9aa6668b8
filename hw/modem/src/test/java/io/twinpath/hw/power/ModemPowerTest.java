package io.twinpath.hw.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.twinpath.hw.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Power sequences on Pi4J's mock GPIO provider: pin states in order, waits recorded. */
class ModemPowerTest {
  private final Context pi4j =
      Pi4J.newContextBuilder()
          .noAutoDetect()
          .add(new MockPlatform())
          .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
          .build();
  private final List<String> timeline = new CopyOnWriteArrayList<>();
  private Runnable onSleep = () -> {};
  private final Sleeper sleeper =
      d -> {
        timeline.add("wait " + d.toMillis());
        onSleep.run();
      };

  @AfterEach
  void shutdown() {
    pi4j.shutdown();
  }

  private void watch(String id, String label) {
    pi4j.registry()
        .get(id, DigitalOutput.class)
        .addListener(e -> timeline.add(label + " " + e.state()));
  }

  @Test
  void waveshareHatPowersOnWithTwoSecondsHighOnBcm6() throws Exception {
    try (ModemPower power = ModemPower.open(pi4j, PowerConfig.waveshareSim7600Hat(), sleeper)) {
      DigitalOutput key = pi4j.registry().get("modem-pwrkey", DigitalOutput.class);
      assertThat(key.address()).isEqualTo(6);
      assertThat(key.state()).isEqualTo(DigitalState.LOW);
      watch("modem-pwrkey", "pwrkey");
      assertThat(power.powerOn()).isTrue();
      assertThat(timeline)
          .containsExactly("pwrkey HIGH", "wait 2000", "pwrkey LOW", "wait 20000"); // boot time
      timeline.clear();
      power.powerOff();
      assertThat(timeline).containsExactly("pwrkey HIGH", "wait 3000", "pwrkey LOW", "wait 5000");
      assertThat(power.isOn()).isEmpty();
    }
  }

  @Test
  void ec25ResetPulsesItsResetLineAndWaitsForStatus() throws Exception {
    PowerConfig cfg =
        PowerConfig.builder(17)
            .powerOnPulse(Duration.ofMillis(1500))
            .resetPin(27)
            .resetPulse(Duration.ofMillis(500))
            .statusPin(22)
            .bootTime(Duration.ofSeconds(15))
            .build();
    try (ModemPower power = ModemPower.open(pi4j, cfg, sleeper)) {
      MockDigitalInput status = pi4j.registry().get("modem-status", MockDigitalInput.class);
      status.mockState(DigitalState.LOW);
      watch("modem-pwrkey", "pwrkey");
      watch("modem-reset", "reset");
      // the module comes up after the third status poll
      onSleep =
          () -> {
            if (timeline.stream().filter(s -> s.equals("wait 100")).count() == 3) {
              status.mockState(DigitalState.HIGH);
            }
          };
      assertThat(power.powerOn()).isTrue();
      assertThat(timeline)
          .containsExactly(
              "pwrkey HIGH", "wait 1500", "pwrkey LOW", "wait 100", "wait 100", "wait 100");
      assertThat(power.isOn()).contains(true);
      assertThat(power.powerOn()).isFalse(); // already on: no pulse
      timeline.clear();
      power.reset();
      assertThat(timeline).startsWith("reset HIGH", "wait 500", "reset LOW");
    }
  }

  @Test
  void quectelDefaultsFollowTheReference() {
    PowerConfig c = PowerConfig.quectelEc25(17, 27);
    assertThat(c.powerOnPulse()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.resetPulse()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.bootTime()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.resetPin()).isEqualTo(27);
  }

  @Test
  void configRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> PowerConfig.builder(40))
        .hasMessageContaining("power.powerKeyPin")
        .hasMessageContaining("40");
    assertThatThrownBy(() -> PowerConfig.builder(6).powerOnPulse(Duration.ofMillis(10)))
        .hasMessageContaining("power.powerOnPulse 10 ms");
    assertThatThrownBy(() -> PowerConfig.builder(6).resetPin(6).build())
        .hasMessageContaining("must differ");
  }
}
