package io.twinpath.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettingExceptionTest {
  @Test
  void namesSourceKeyValueAndWhatIsAccepted() {
    SettingException e =
        new SettingException("smtp.port", "99999", "use a TCP port, 1-65535").at("dongle.conf:12");
    assertThat(e)
        .hasMessage("dongle.conf:12: smtp.port = '99999' is not accepted: use a TCP port, 1-65535");
    assertThat(e.source()).isEqualTo("dongle.conf:12");
    assertThat(e.key()).isEqualTo("smtp.port");
    assertThat(e.value()).isEqualTo("99999");
    assertThat(e.accepted()).isEqualTo("use a TCP port, 1-65535");
    assertThat(e.isHidden()).isFalse();
  }

  @Test
  void withoutSourceTheMessageStartsWithTheKey() {
    assertThat(new SettingException("inbound.tls", "tls", "use implicit, starttls or none"))
        .hasMessage("inbound.tls = 'tls' is not accepted: use implicit, starttls or none");
  }

  @Test
  void missingSetting() {
    SettingException e =
        SettingException.missing("smtp.host", "give the SMTP server").at("Kura configuration");
    assertThat(e).hasMessage("Kura configuration: smtp.host is missing: give the SMTP server");
    assertThat(e.value()).isNull();
  }

  @Test
  void aSecretsValueIsNeverShownNorKept() {
    SettingException e =
        new SettingException("modem.pin", "12345", "use 4 to 8 digits").hideValue().at("--set");
    assertThat(e).hasMessage("--set: modem.pin = (hidden) is not accepted: use 4 to 8 digits");
    assertThat(e.getMessage()).doesNotContain("12345");
    assertThat(e.value()).isNull();
    assertThat(e.isHidden()).isTrue();
    assertThat(SettingException.hidden("modem.pin", "use digits"))
        .hasMessage("modem.pin = (hidden) is not accepted: use digits");
  }

  @Test
  void controlCharactersAreEscapedAndLongValuesCut() {
    assertThat(new SettingException("k", "a\tb\u007f", "x"))
        .hasMessage("k = 'a\\x09b\\x7f' is not accepted: x");
    String longValue = "v".repeat(200);
    assertThat(new SettingException("k", longValue, "x"))
        .hasMessage("k = '" + "v".repeat(120) + "…' is not accepted: x");
  }
}
