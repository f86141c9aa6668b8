package io.twinpath.secondary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.hw.Sleeper;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.modem.ModemHealth;
import io.twinpath.hw.power.PowerConfig;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.secondary.SecondarySettings;
import io.twinpath.testing.PtyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A modem that stops answering is recovered through its GPIO lines on Pi4J's mock platform: the
 * simulator on a real pty is wedged, the pulse on the reset line (or the power key) reboots it, the
 * port is reopened and the modem brought up again; a recovery that does not help is retried with a
 * growing, bounded pause. Every recovery reaches the listener and the status.
 */
class ModemRecoveryIT {
  private final AtomicReference<@Nullable Context> gpio = new AtomicReference<>();
  private final List<Recovery> recoveries = new CopyOnWriteArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();

  /** One modemRecovery callback, with when it came. */
  record Recovery(String action, int attempt, boolean recovered, String detail, Instant at) {}

  private final TwinpathListener recorder =
      new TwinpathListener() {
        @Override
        public void modemRecovery(
            String port, String action, int attempt, boolean recovered, String detail) {
          recoveries.add(new Recovery(action, attempt, recovered, detail, Instant.now()));
        }
      };

  /** The mock platform's GPIO; the modem path owns it and shuts it down when closed. */
  private Context mockGpio() {
    Context c =
        Pi4J.newContextBuilder()
            .noAutoDetect()
            .add(new MockPlatform())
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
            .build();
    gpio.set(c);
    return c;
  }

  /** Calls {@code onPulse} when line {@code id} goes high, and records every change. */
  private void onHigh(String id, Runnable onPulse) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gpio.get() != null && gpio.get().registry().exists(id));
    DigitalOutput out = gpio.get().registry().get(id, DigitalOutput.class);
    out.addListener(
        e -> {
          lines.add(id + " " + e.state());
          if (e.state() == DigitalState.HIGH) {
            onPulse.run();
          }
        });
  }

  private static SecondarySettings.Modem settings(
      PtyPair pty,
      ModemDialect dialect,
      PowerConfig power,
      java.util.function.Supplier<Context> c) {
    return SecondarySettings.Modem.builder(
            SerialSettings.of(pty.a().toString()),
            dialect,
            ModemConfig.builder()
                .apn("internet")
                .commandTimeout(Duration.ofMillis(600))
                .guardTime(Duration.ofMillis(50))
                .build())
        .poll(Duration.ofMillis(300))
        .recoveryAfter(1)
        .recoveryBackoff(Duration.ofMillis(500), Duration.ofMillis(1000))
        .power(power)
        .gpio(c)
        .sleeper(Sleeper.SYSTEM)
        .build();
  }

  private static boolean dataUp(ModemPath m) {
    ModemHealth h = m.health();
    return h != null && h.dataContextUp();
  }

  @Test
  void aWedgedModemIsResetThroughItsResetLineAndBroughtUpAgain() throws Exception {
    PowerConfig power =
        PowerConfig.builder(6)
            .powerOnPulse(Duration.ofMillis(50))
            .resetPin(5)
            .resetPulse(Duration.ofMillis(50))
            .bootTime(Duration.ofMillis(500))
            .build();
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(pty.b().toString(), SimConfig.of(Dialect.SIM7600));
        ModemPath modem =
            ModemPath.start(
                settings(pty, ModemDialect.SIM7600, power, this::mockGpio),
                recorder,
                () -> {},
                Clock.systemUTC())) {
      onHigh("modem-reset", sim::reset);
      await().atMost(Duration.ofSeconds(30)).until(() -> dataUp(modem));
      assertThat(modem.section().get("recovery").getAsString()).isEqualTo("reset line");

      sim.setWedged(true);
      await().atMost(Duration.ofSeconds(30)).until(() -> !recoveries.isEmpty());
      Recovery r = recoveries.get(0);
      assertThat(r.action()).isEqualTo("reset line");
      assertThat(r.attempt()).isEqualTo(1);
      assertThat(r.recovered()).as(r.detail()).isTrue();
      assertThat(lines).containsSubsequence("modem-reset HIGH", "modem-reset LOW");
      assertThat(lines).doesNotContain("modem-pwrkey HIGH");

      await().atMost(Duration.ofSeconds(30)).until(() -> dataUp(modem));
      assertThat(modem.recoveries()).isEqualTo(1);
      assertThat(modem.section().get("recoveries").getAsInt()).isEqualTo(1);
      assertThat(modem.section().get("lastRecovery").getAsString())
          .contains("reset line attempt 1: recovered");
      assertThat(sim.commandLog()).as("the SIM7600 was brought up again").contains("AT+NETOPEN");
    }
  }

  @Test
  void withoutAResetLineThePowerKeySwitchesItOffAndOn() throws Exception {
    PowerConfig power =
        PowerConfig.builder(17)
            .powerOnPulse(Duration.ofMillis(50))
            .powerOffPulse(Duration.ofMillis(50))
            .shutdownTime(Duration.ZERO)
            .bootTime(Duration.ofMillis(500))
            .build();
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim = ModemSimulator.attach(pty.b().toString(), SimConfig.of(Dialect.EC25));
        ModemPath modem =
            ModemPath.start(
                settings(pty, ModemDialect.EC25, power, this::mockGpio),
                recorder,
                () -> {},
                Clock.systemUTC())) {
      // the second press of the key (on again) boots the module
      onHigh(
          "modem-pwrkey",
          () -> {
            if (lines.stream().filter(l -> l.equals("modem-pwrkey HIGH")).count() % 2 == 0) {
              sim.reset();
            }
          });
      await().atMost(Duration.ofSeconds(30)).until(() -> dataUp(modem));
      sim.setWedged(true);
      await().atMost(Duration.ofSeconds(30)).until(() -> !recoveries.isEmpty());
      Recovery r = recoveries.get(0);
      assertThat(r.action()).isEqualTo("power cycle");
      assertThat(r.recovered()).as(r.detail()).isTrue();
      assertThat(lines)
          .containsSubsequence(
              "modem-pwrkey HIGH", "modem-pwrkey LOW", "modem-pwrkey HIGH", "modem-pwrkey LOW");
      await().atMost(Duration.ofSeconds(30)).until(() -> dataUp(modem));
    }
  }

  @Test
  void aRecoveryThatDoesNotHelpIsRetriedWithAGrowingBoundedPause() throws Exception {
    PowerConfig power =
        PowerConfig.builder(6)
            .resetPin(5)
            .resetPulse(Duration.ofMillis(50))
            .bootTime(Duration.ofMillis(50))
            .build();
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(pty.b().toString(), SimConfig.of(Dialect.SIM7600));
        ModemPath modem =
            ModemPath.start(
                settings(pty, ModemDialect.SIM7600, power, this::mockGpio),
                recorder,
                () -> {},
                Clock.systemUTC())) {
      // the reset line is not really wired: pulses change nothing
      onHigh("modem-reset", () -> {});
      await().atMost(Duration.ofSeconds(30)).until(() -> dataUp(modem));
      sim.setWedged(true);
      await().atMost(Duration.ofSeconds(90)).until(() -> recoveries.size() >= 3);
      List<Recovery> r = List.copyOf(recoveries);
      assertThat(r).extracting(Recovery::attempt).startsWith(1, 2, 3);
      assertThat(r).allSatisfy(x -> assertThat(x.recovered()).isFalse());
      assertThat(r.get(0).detail()).startsWith("the modem still does not answer");
      // pauses of 500 ms, then doubled, then capped at 1000 ms
      assertThat(r)
          .extracting(x -> x.detail().replaceAll(".*next recovery in (\\d+) ms.*", "$1"))
          .startsWith("500", "1000", "1000");
      assertThat(Duration.between(r.get(0).at(), r.get(1).at())).isGreaterThanOrEqualTo(ms(500));
      assertThat(Duration.between(r.get(1).at(), r.get(2).at())).isGreaterThanOrEqualTo(ms(1000));
      assertThat(modem.section().get("problem").getAsString())
          .startsWith("the modem does not answer");

      // the modem comes back by itself: the count starts again
      sim.setWedged(false);
      await().atMost(Duration.ofSeconds(30)).until(() -> dataUp(modem));
      assertThat(modem.section().get("problem").isJsonNull()).isTrue();
    }
  }

  @Test
  void gpioLinesThatCannotBeClaimedLeaveOnlyReopeningThePort() throws Exception {
    PowerConfig power = PowerConfig.builder(6).resetPin(5).build();
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(pty.b().toString(), SimConfig.of(Dialect.SIM7600));
        ModemPath modem =
            ModemPath.start(
                settings(
                    pty,
                    ModemDialect.SIM7600,
                    power,
                    () -> {
                      throw new IllegalStateException("no GPIO chip on this machine");
                    }),
                recorder,
                () -> {},
                Clock.systemUTC())) {
      assertThat(modem.section().get("recovery").getAsString()).isEqualTo("reopen");
      assertThat(modem.section().get("gpioProblem").getAsString())
          .contains("gpio.power-pin 6, gpio.reset-pin 5")
          .contains("no GPIO chip on this machine")
          .contains("recovered by reopening its port only");
      // the modem itself is used as usual
      await().atMost(Duration.ofSeconds(30)).until(() -> dataUp(modem));
      assertThat(sim.commandLog()).contains("AT+NETOPEN");
    }
  }

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }
}
