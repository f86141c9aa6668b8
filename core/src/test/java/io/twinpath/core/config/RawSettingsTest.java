package io.twinpath.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawSettingsTest {
  private static final Setting<Duration> POLL =
      Setting.of(
              "modem.poll",
              Values.duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
              "How often the modem's health is checked.")
          .withDefault("30s");
  private static final Setting<String> HOST =
      Setting.of("smtp.host", Values.hostName(), "The SMTP server.");
  private static final Setting<String> PIN =
      Setting.of("modem.pin", Values.text().map("use 4 to 8 digits", RawSettingsTest::digits), "")
          .asSecret();

  private static String digits(String s) {
    if (!s.matches("[0-9]{4,8}")) {
      throw new IllegalArgumentException("not digits");
    }
    return s;
  }

  @Test
  void aSettingKnowsItsDefault() {
    assertThat(POLL.key()).isEqualTo("modem.poll");
    assertThat(POLL.defaultText()).hasValue("30s");
    assertThat(POLL.defaultValue()).hasValue(Duration.ofSeconds(30));
    assertThat(HOST.defaultValue()).isEmpty();
    assertThat(PIN.isSecret()).isTrue();
    assertThatThrownBy(() -> POLL.withDefault("20m"))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("modem.poll = '20m' is not accepted");
  }

  @Test
  void readsValuesAndDefaults() {
    RawSettings r =
        RawSettings.builder("dongle.conf")
            .put("modem.poll", "1m", "dongle.conf:3")
            .put("smtp.host", " ", "dongle.conf:4")
            .build();
    assertThat(r.get(POLL)).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.find(HOST)).isNull();
    assertThat(r.isSet("smtp.host")).isFalse();
    assertThat(RawSettings.builder("x").build().get(POLL)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RawSettings.builder("x").build().ifSet(POLL)).isEmpty();
  }

  @Test
  void aRejectedValueNamesWhereItWasSet() {
    RawSettings r =
        RawSettings.builder("dongle.conf")
            .put("modem.poll", "1m", "dongle.conf:3")
            .put("modem.poll", "1h", "--set")
            .put("modem.pin", "12ab", "dongle.conf:9")
            .build();
    assertThatThrownBy(() -> r.get(POLL))
        .hasMessage(
            "--set: modem.poll = '1h' is not accepted: use a duration like 250ms, 30s, 5m, 2h or"
                + " 7d (a bare number is seconds), from 100ms to 10m");
    assertThatThrownBy(() -> r.get(PIN))
        .hasMessage("dongle.conf:9: modem.pin = (hidden) is not accepted: use 4 to 8 digits");
    assertThatThrownBy(() -> r.get(HOST))
        .hasMessage(
            "dongle.conf: smtp.host is missing: use a host name like smtp.example.org or an IP"
                + " address");
    assertThat(r.reject(PIN, "give the PIN"))
        .hasMessage("dongle.conf:9: modem.pin = (hidden) is not accepted: give the PIN");
    assertThat(r.reject("modem.poll", "use at most modem.recovery-backoff"))
        .hasMessage("--set: modem.poll = '1h' is not accepted: use at most modem.recovery-backoff");
  }

  @Test
  void listsUnknownKeys() {
    RawSettings r =
        RawSettings.builder("Kura configuration")
            .put("modem.poll", "1m", "Kura configuration")
            .put("modem.pol", "1m", "Kura configuration")
            .build();
    assertThat(r.unknown(List.of("modem.poll", "smtp.host"))).containsExactly("modem.pol");
    assertThat(r.keys()).containsExactly("modem.poll", "modem.pol");
    assertThat(r.text("modem.pol")).hasValue("1m");
  }

  @Test
  void settingValuesParseEachSettingOnce() {
    RawSettings r =
        RawSettings.builder("dongle.conf").put("modem.poll", "1m", "dongle.conf:3").build();
    SettingValues v = SettingValues.read(r, List.of(POLL, HOST));
    assertThat(v.get(POLL)).hasValue(Duration.ofMinutes(1));
    assertThat(v.get(HOST)).isEmpty();
    assertThat(v.isSet(POLL)).isTrue();
    assertThat(v.isSet(HOST)).isFalse();
    assertThat(v.get(POLL.withDefault("5s"))).as("matched by key").hasValue(Duration.ofMinutes(1));
    assertThatThrownBy(() -> v.require(HOST))
        .hasMessageStartingWith("dongle.conf: smtp.host is missing: use a host name");
    assertThat(v).isEqualTo(SettingValues.read(r, List.of(POLL, HOST)));
    RawSettings bad =
        RawSettings.builder("Kura configuration")
            .put("modem.poll", "forever", "Kura configuration")
            .build();
    assertThatThrownBy(() -> SettingValues.read(bad, List.of(POLL)))
        .hasMessageStartingWith(
            "Kura configuration: modem.poll = 'forever' is not accepted: use a duration");
  }
}
