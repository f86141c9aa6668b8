package io.twinpath.secondary.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.config.Values;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.power.PowerConfig;
import io.twinpath.secondary.SettingsTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The checks behind {@code SecondarySettings}' builders: values given in code against the ranges of
 * {@link SettingsTable}, the GPIO wiring, and what spans settings.
 */
public final class SettingChecks {
  private SettingChecks() {}

  /** The table's default of {@code setting}, which must have one. */
  public static <T> T byDefault(Setting<T> setting) {
    return setting.defaultValue().orElseThrow();
  }

  /** Checks a duration given in code against the range of its setting in the table. */
  public static Duration within(Setting<Duration> setting, Duration d) {
    Objects.requireNonNull(d, setting.key());
    setting.parse(Values.formatDuration(d));
    return d;
  }

  /** Checks the recovery pauses: each within its range, the longest at least the first. */
  public static void recoveryBackoff(Duration first, Duration max) {
    Duration f = within(SettingsTable.MODEM_RECOVERY_BACKOFF, first);
    Duration m = within(SettingsTable.MODEM_RECOVERY_BACKOFF_MAX, max);
    if (m.compareTo(f) < 0) {
      throw new SettingException(
          SettingsTable.MODEM_RECOVERY_BACKOFF_MAX.key(),
          Values.formatDuration(m),
          "use at least modem.recovery-backoff (" + Values.formatDuration(f) + ")");
    }
  }

  /** Checks that what a secondary cannot run without is there. */
  public static void complete(
      @Nullable DeviceId device,
      List<DeviceId> peers,
      @Nullable Path dataDir,
      @Nullable LinkSettings link) {
    if (device == null) {
      throw SettingException.missing("device.id", "give this device's id");
    }
    if (dataDir == null) {
      throw SettingException.missing("data.dir", "name a directory");
    }
    if (link == null) {
      throw SettingException.missing("broker", "give the MQTT broker");
    }
    if (peers.contains(device)) {
      throw new IllegalArgumentException(
          "peers = '" + peers + "' is not accepted: list the paired hosts, not this device");
    }
  }

  /** The turn order when none is given: the peers, then this device. */
  public static List<DeviceId> defaultOrder(List<DeviceId> peers, DeviceId self) {
    List<DeviceId> o = new ArrayList<>(peers);
    o.add(self);
    return List.copyOf(o);
  }

  /** The GPIO wiring of {@code SecondarySettings.gpio}; null when no line is wired. */
  public static @Nullable PowerConfig gpio(
      ModemDialect dialect, @Nullable Integer powerPin, @Nullable Integer resetPin) {
    if (powerPin == null) {
      if (resetPin != null) {
        throw new SettingException(
            SettingsTable.GPIO_RESET_PIN.key(),
            resetPin.toString(),
            "set gpio.power-pin too (the modem's power key line, needed to switch it back on)");
      }
      return null;
    }
    pin(SettingsTable.GPIO_POWER_PIN, powerPin);
    PowerConfig.Builder b;
    try {
      b = dialect.power(powerPin);
    } catch (IllegalArgumentException e) {
      throw new SettingException(
          SettingsTable.GPIO_POWER_PIN.key(), powerPin.toString(), String.valueOf(e.getMessage()));
    }
    if (resetPin != null) {
      pin(SettingsTable.GPIO_RESET_PIN, resetPin);
      if (resetPin.equals(powerPin)) {
        throw new SettingException(
            SettingsTable.GPIO_RESET_PIN.key(),
            resetPin.toString(),
            "use a different pin than gpio.power-pin");
      }
      b.resetPin(resetPin);
    }
    return b.build();
  }

  private static void pin(Setting<Integer> setting, int pin) {
    setting.parse(Integer.toString(pin));
  }
}
