package io.twinpath.hw.power;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which GPIO lines (BCM numbers) switch a modem board and for how long. Immutable and validated; a
 * bad value fails with a sentence naming the key, the value and what is accepted.
 */
public final class PowerConfig {
  private final int powerKeyPin;
  private final boolean powerKeyActiveHigh;
  private final Duration powerOnPulse;
  private final Duration powerOffPulse;
  private final @Nullable Integer resetPin;
  private final Duration resetPulse;
  private final @Nullable Integer statusPin;
  private final Duration bootTime;
  private final Duration shutdownTime;

  private PowerConfig(Builder b) {
    this.powerKeyPin = b.powerKeyPin;
    this.powerKeyActiveHigh = b.powerKeyActiveHigh;
    this.powerOnPulse = b.powerOnPulse;
    this.powerOffPulse = b.powerOffPulse;
    this.resetPin = b.resetPin;
    this.resetPulse = b.resetPulse;
    this.statusPin = b.statusPin;
    this.bootTime = b.bootTime;
    this.shutdownTime = b.shutdownTime;
  }

  /**
   * The Waveshare SIM7600X 4G HAT with its PWR jumper on D6: BCM6 high for 2 s switches on, high
   * for 3 s switches off; up to 20 s to boot. No reset or status line on the header.
   */
  public static PowerConfig waveshareSim7600Hat() {
    return builder(6)
        .powerOnPulse(Duration.ofSeconds(2))
        .powerOffPulse(Duration.ofSeconds(3))
        .bootTime(Duration.ofSeconds(20))
        .shutdownTime(Duration.ofSeconds(5))
        .build();
  }

  /**
   * A Quectel EC25 / EG25-G board: PWRKEY pulse 1500 ms, RESET pulse 500 ms, 15 s to start, 5 s to
   * shut down. The pins depend on the carrier board, so they are given.
   */
  public static PowerConfig quectelEc25(int powerKeyPin, int resetPin) {
    return builder(powerKeyPin)
        .powerOnPulse(Duration.ofMillis(1500))
        .powerOffPulse(Duration.ofMillis(1500))
        .resetPin(resetPin)
        .resetPulse(Duration.ofMillis(500))
        .bootTime(Duration.ofSeconds(15))
        .shutdownTime(Duration.ofSeconds(5))
        .build();
  }

  /** Starts from the given power key line (BCM number) with the SIM7600 module's timings. */
  public static Builder builder(int powerKeyPin) {
    return new Builder().powerKeyPin(powerKeyPin);
  }

  public int powerKeyPin() {
    return powerKeyPin;
  }

  /** True when driving the line high presses the key (the HATs' transistor stage). */
  public boolean powerKeyActiveHigh() {
    return powerKeyActiveHigh;
  }

  public Duration powerOnPulse() {
    return powerOnPulse;
  }

  public Duration powerOffPulse() {
    return powerOffPulse;
  }

  public @Nullable Integer resetPin() {
    return resetPin;
  }

  public Duration resetPulse() {
    return resetPulse;
  }

  /** The STATUS line (high = on), or null when the board has none. */
  public @Nullable Integer statusPin() {
    return statusPin;
  }

  /** How long the module takes to boot after the power key. */
  public Duration bootTime() {
    return bootTime;
  }

  public Duration shutdownTime() {
    return shutdownTime;
  }

  @Override
  public String toString() {
    return "PowerConfig[powerKey=BCM"
        + powerKeyPin
        + (powerKeyActiveHigh ? " active-high" : " active-low")
        + ", on="
        + powerOnPulse.toMillis()
        + "ms, off="
        + powerOffPulse.toMillis()
        + "ms, reset="
        + (resetPin == null ? "none" : "BCM" + resetPin + "/" + resetPulse.toMillis() + "ms")
        + ", status="
        + (statusPin == null ? "none" : "BCM" + statusPin)
        + "]";
  }

  /** Builds a {@link PowerConfig}; each setter checks its value. */
  public static final class Builder {
    private int powerKeyPin;
    private boolean powerKeyActiveHigh = true;
    private Duration powerOnPulse = Duration.ofMillis(500);
    private Duration powerOffPulse = Duration.ofMillis(3000);
    private @Nullable Integer resetPin;
    private Duration resetPulse = Duration.ofMillis(500);
    private @Nullable Integer statusPin;
    private Duration bootTime = Duration.ofSeconds(15);
    private Duration shutdownTime = Duration.ofSeconds(5);

    private Builder() {}

    public Builder powerKeyPin(int pin) {
      powerKeyPin = pin("power.powerKeyPin", pin);
      return this;
    }

    public Builder powerKeyActiveHigh(boolean v) {
      powerKeyActiveHigh = v;
      return this;
    }

    public Builder powerOnPulse(Duration d) {
      powerOnPulse = pulse("power.powerOnPulse", d);
      return this;
    }

    public Builder powerOffPulse(Duration d) {
      powerOffPulse = pulse("power.powerOffPulse", d);
      return this;
    }

    public Builder resetPin(@Nullable Integer pin) {
      resetPin = pin == null ? null : pin("power.resetPin", pin);
      return this;
    }

    public Builder resetPulse(Duration d) {
      resetPulse = pulse("power.resetPulse", d);
      return this;
    }

    public Builder statusPin(@Nullable Integer pin) {
      statusPin = pin == null ? null : pin("power.statusPin", pin);
      return this;
    }

    public Builder bootTime(Duration d) {
      bootTime = wait("power.bootTime", d);
      return this;
    }

    public Builder shutdownTime(Duration d) {
      shutdownTime = wait("power.shutdownTime", d);
      return this;
    }

    public PowerConfig build() {
      if (Objects.equals(resetPin, powerKeyPin)
          || Objects.equals(statusPin, powerKeyPin)
          || (resetPin != null && Objects.equals(resetPin, statusPin))) {
        throw new IllegalArgumentException(
            "power pins must differ: powerKeyPin="
                + powerKeyPin
                + ", resetPin="
                + resetPin
                + ", statusPin="
                + statusPin);
      }
      return new PowerConfig(this);
    }

    private static int pin(String key, int pin) {
      if (pin < 0 || pin > 27) {
        throw new IllegalArgumentException(
            key + " " + pin + " is not accepted; use a BCM GPIO number 0 to 27");
      }
      return pin;
    }

    private static Duration pulse(String key, Duration d) {
      Objects.requireNonNull(d, key);
      if (d.toMillis() < 50 || d.toMillis() > 10_000) {
        throw new IllegalArgumentException(
            key + " " + d.toMillis() + " ms is not accepted; use 50 to 10000 ms");
      }
      return d;
    }

    private static Duration wait(String key, Duration d) {
      Objects.requireNonNull(d, key);
      if (d.isNegative() || d.toSeconds() > 120) {
        throw new IllegalArgumentException(
            key + " " + d.toMillis() + " ms is not accepted; use 0 to 120 s");
      }
      return d;
    }
  }
}
