package io.twinpath.hw.modem.internal;

import io.twinpath.hw.power.PowerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * A module's power key and reset pulse lengths and how long it takes to start and to shut down:
 * vendor data, kept next to each dialect's scripts.
 */
public record PowerTimings(
    Duration powerOnPulse,
    Duration powerOffPulse,
    Duration resetPulse,
    Duration bootTime,
    Duration shutdownTime) {

  public PowerTimings {
    Objects.requireNonNull(powerOnPulse, "powerOnPulse");
    Objects.requireNonNull(powerOffPulse, "powerOffPulse");
    Objects.requireNonNull(resetPulse, "resetPulse");
    Objects.requireNonNull(bootTime, "bootTime");
    Objects.requireNonNull(shutdownTime, "shutdownTime");
  }

  /** Sets these timings on {@code b} and returns it. */
  public PowerConfig.Builder applyTo(PowerConfig.Builder b) {
    return b.powerOnPulse(powerOnPulse)
        .powerOffPulse(powerOffPulse)
        .resetPulse(resetPulse)
        .bootTime(bootTime)
        .shutdownTime(shutdownTime);
  }
}
