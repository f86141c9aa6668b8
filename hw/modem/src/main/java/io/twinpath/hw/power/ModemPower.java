package io.twinpath.hw.power;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import io.twinpath.hw.Sleeper;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches a modem board on, off and through reset with its GPIO lines (Pi4J): a power key pulse,
 * an optional reset line and an optional status input. Waits go through a {@link Sleeper}.
 */
public final class ModemPower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModemPower.class);
  private static final Duration STATUS_POLL = Duration.ofMillis(100);

  private final Context pi4j;
  private final PowerConfig config;
  private final Sleeper sleeper;
  private final DigitalOutput powerKey;
  private final @Nullable DigitalOutput reset;
  private final @Nullable DigitalInput status;

  private ModemPower(
      Context pi4j,
      PowerConfig config,
      Sleeper sleeper,
      DigitalOutput powerKey,
      @Nullable DigitalOutput reset,
      @Nullable DigitalInput status) {
    this.pi4j = pi4j;
    this.config = config;
    this.sleeper = sleeper;
    this.powerKey = powerKey;
    this.reset = reset;
    this.status = status;
  }

  /** Claims the lines in {@code pi4j}; the keys start released. */
  public static ModemPower open(Context pi4j, PowerConfig config, Sleeper sleeper) {
    DigitalState keyIdle = config.powerKeyActiveHigh() ? DigitalState.LOW : DigitalState.HIGH;
    DigitalOutput key =
        pi4j.create(
            DigitalOutput.newConfigBuilder(pi4j)
                .id("modem-pwrkey")
                .name("modem power key")
                .address(config.powerKeyPin())
                .initial(keyIdle)
                .shutdown(keyIdle));
    DigitalOutput rst = null;
    Integer resetPin = config.resetPin();
    if (resetPin != null) {
      rst =
          pi4j.create(
              DigitalOutput.newConfigBuilder(pi4j)
                  .id("modem-reset")
                  .name("modem reset")
                  .address(resetPin)
                  .initial(DigitalState.LOW)
                  .shutdown(DigitalState.LOW));
    }
    DigitalInput st = null;
    Integer statusPin = config.statusPin();
    if (statusPin != null) {
      st =
          pi4j.create(
              DigitalInput.newConfigBuilder(pi4j)
                  .id("modem-status")
                  .name("modem status")
                  .address(statusPin)
                  .pull(PullResistance.PULL_DOWN));
    }
    return new ModemPower(pi4j, config, sleeper, key, rst, st);
  }

  public PowerConfig config() {
    return config;
  }

  /** True/false from the status line, empty when the board has none. */
  public Optional<Boolean> isOn() {
    DigitalInput s = status;
    return s == null ? Optional.empty() : Optional.of(s.state() == DigitalState.HIGH);
  }

  /**
   * Switches the module on: a power key pulse, then the boot time (or until the status line says
   * on). Does nothing when the status line already says on.
   *
   * @return true when a pulse was given
   */
  public boolean powerOn() throws InterruptedException {
    if (isOn().orElse(false)) {
      LOG.info("modem already on (status line high)");
      return false;
    }
    LOG.info("modem power on: power key for {} ms", config.powerOnPulse().toMillis());
    press(config.powerOnPulse());
    awaitStatus(true, config.bootTime());
    return true;
  }

  /**
   * Switches the module off with a long power key pulse, then waits the shutdown time (or until the
   * status line says off). Does nothing when the status line already says off.
   *
   * @return true when a pulse was given
   */
  public boolean powerOff() throws InterruptedException {
    if (!isOn().orElse(true)) {
      LOG.info("modem already off (status line low)");
      return false;
    }
    LOG.info("modem power off: power key for {} ms", config.powerOffPulse().toMillis());
    press(config.powerOffPulse());
    awaitStatus(false, config.shutdownTime());
    return true;
  }

  /** Resets the module: a pulse on the reset line, or off-then-on when the board has none. */
  public void reset() throws InterruptedException {
    DigitalOutput r = reset;
    if (r == null) {
      powerOff();
      powerOn();
      return;
    }
    LOG.info("modem reset: reset line for {} ms", config.resetPulse().toMillis());
    r.high();
    try {
      sleeper.sleep(config.resetPulse());
    } finally {
      r.low();
    }
    awaitStatus(true, config.bootTime());
  }

  private void press(Duration d) throws InterruptedException {
    DigitalState active = config.powerKeyActiveHigh() ? DigitalState.HIGH : DigitalState.LOW;
    DigitalState idle = config.powerKeyActiveHigh() ? DigitalState.LOW : DigitalState.HIGH;
    powerKey.state(active);
    try {
      sleeper.sleep(d);
    } finally {
      powerKey.state(idle);
    }
  }

  private void awaitStatus(boolean on, Duration limit) throws InterruptedException {
    DigitalInput s = status;
    if (s == null) {
      sleeper.sleep(limit);
      return;
    }
    DigitalState want = on ? DigitalState.HIGH : DigitalState.LOW;
    long polls = Math.max(1, limit.toMillis() / STATUS_POLL.toMillis());
    for (long i = 0; i < polls && s.state() != want; i++) {
      sleeper.sleep(STATUS_POLL);
    }
    if (s.state() != want) {
      LOG.warn("modem status line still {} after {} ms", s.state(), limit.toMillis());
    }
  }

  /** Releases the lines (the keys go back to released). */
  @Override
  public void close() {
    for (String id : new String[] {"modem-pwrkey", "modem-reset", "modem-status"}) {
      try {
        if (pi4j.registry().exists(id)) {
          pi4j.shutdown(id);
        }
      } catch (RuntimeException e) {
        LOG.debug("releasing {}: {}", id, e.toString());
      }
    }
  }
}
