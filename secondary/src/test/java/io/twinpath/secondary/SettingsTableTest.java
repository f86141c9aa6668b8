package io.twinpath.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Setting;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.serial.SerialSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTableTest {
  @TempDir Path dir;

  @Test
  void eachKeyIsDeclaredOnceWithADocAndAParsableDefault() {
    Set<String> keys = new HashSet<>();
    for (Setting<?> s : SettingsTable.ALL) {
      assertThat(keys.add(s.key())).as(s.key()).isTrue();
      assertThat(s.doc()).as(s.key()).isNotBlank();
      s.defaultText().ifPresent(d -> assertThat(s.parse(d)).as(s.key()).isNotNull());
      assertThat(SettingsTable.find(s.key())).containsSame(s);
    }
    assertThat(SettingsTable.keys()).hasSize(SettingsTable.ALL.size()).contains("modem.poll");
    assertThat(SettingsTable.find("modem.pol")).isEmpty();
  }

  @Test
  void passwordsAndThePinAreSecrets() {
    for (Setting<?> s : SettingsTable.ALL) {
      boolean secret = s.key().endsWith("password") || s.key().equals("modem.pin");
      assertThat(s.isSecret()).as(s.key()).isEqualTo(secret);
    }
  }

  @Test
  void theSettingsDefaultsAreTheTables() {
    SecondarySettings.Modem m =
        SecondarySettings.Modem.builder(
                SerialSettings.of("/dev/ttyUSB2", 115200, SerialSettings.FlowControl.NONE),
                ModemDialect.SIM7600,
                ModemConfig.builder().apn("internet").build())
            .build();
    assertThat(m.poll()).isEqualTo(SettingsTable.MODEM_POLL.defaultValue().orElseThrow());
    assertThat(m.poll()).isEqualTo(Duration.ofSeconds(30));
    assertThat(m.recoveryAfter())
        .isEqualTo(SettingsTable.MODEM_RECOVERY_AFTER.defaultValue().orElseThrow());
    assertThat(m.recoveryBackoff())
        .isEqualTo(SettingsTable.MODEM_RECOVERY_BACKOFF.defaultValue().orElseThrow());
    assertThat(m.recoveryBackoffMax())
        .isEqualTo(SettingsTable.MODEM_RECOVERY_BACKOFF_MAX.defaultValue().orElseThrow());
    DeviceId self = DeviceId.of("dongle");
    SecondarySettings s =
        SecondarySettings.builder()
            .device(self)
            .dataDir(dir)
            .link(
                LinkSettings.builder()
                    .brokerUrl("tcp://127.0.0.1:1883")
                    .device(self)
                    .role("secondary")
                    .dataDir(dir)
                    .build())
            .build();
    assertThat(s.takeoverDelay())
        .isEqualTo(SettingsTable.TAKEOVER_DELAY.defaultValue().orElseThrow());
    assertThat(s.storageBudget())
        .isEqualTo(SettingsTable.STORAGE_BUDGET.defaultValue().orElseThrow());
    assertThat(s.smsDelay()).isEqualTo(SettingsTable.SMS_DELAY.defaultValue().orElseThrow());
  }
}
