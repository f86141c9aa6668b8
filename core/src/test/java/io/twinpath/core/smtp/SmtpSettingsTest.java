package io.twinpath.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpSettingsTest {
  @Test
  void defaultsAreSubmissionWithStartTlsAndFiniteTimeouts() {
    SmtpSettings s = SmtpSettings.builder().host("smtp.example.org").build();
    assertThat(s.tlsMode()).isEqualTo(TlsMode.STARTTLS);
    assertThat(s.port()).isEqualTo(587);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.writeTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.username()).isEmpty();
    assertThat(s.password()).isEmpty();
    assertThat(SmtpSettings.builder().host("h").tls(TlsMode.IMPLICIT).build().port())
        .isEqualTo(465);
  }

  @Test
  void thePasswordIsNeverPrintedAndComesFreshFromItsSupplier() {
    char[] secret = "hunter2-secret".toCharArray();
    SmtpSettings s =
        SmtpSettings.builder().host("smtp.example.org").credentials("me", () -> secret).build();
    assertThat(s.toString()).contains("as me (password set)").doesNotContain("hunter2");
    char[] copy = s.password();
    assertThat(copy).isEqualTo(secret).isNotSameAs(secret);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "127.0.0.1", "127.0.0.9", "::1", "[::1]"})
  void plainTextIsAcceptedForLoopback(String host) {
    assertThat(SmtpSettings.builder().host(host).tls(TlsMode.NONE).build().port()).isEqualTo(25);
  }

  @ParameterizedTest
  @ValueSource(strings = {"smtp.example.org", "192.0.2.1", "10.0.0.1"})
  void plainTextIsRefusedForOtherHosts(String host) {
    assertThatThrownBy(() -> SmtpSettings.builder().host(host).tls(TlsMode.NONE).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("smtp.tls NONE")
        .hasMessageContaining("'" + host + "'");
  }

  @Test
  void badValuesAreRefusedNamingTheKeyAndValue() {
    assertThatThrownBy(() -> SmtpSettings.builder().build())
        .hasMessageContaining("smtp.host is missing");
    assertThatThrownBy(() -> SmtpSettings.builder().host("bad host"))
        .hasMessageContaining("smtp.host 'bad host'");
    assertThatThrownBy(() -> SmtpSettings.builder().port(70000))
        .hasMessageContaining("smtp.port 70000 is out of range");
    assertThatThrownBy(() -> SmtpSettings.builder().readTimeout(Duration.ZERO))
        .hasMessageContaining("smtp.readTimeout PT0S");
    assertThatThrownBy(() -> SmtpSettings.builder().connectTimeout(Duration.ofDays(1)))
        .hasMessageContaining("smtp.connectTimeout");
    assertThatThrownBy(
            () ->
                SmtpSettings.builder()
                    .host("h")
                    .trustStore(Path.of("/nonexistent/trust.p12"), new char[0])
                    .build())
        .hasMessageContaining("smtp.trustStore '/nonexistent/trust.p12' is not a readable file");
    assertThatThrownBy(() -> SmtpSettings.builder().credentials("a\nb", () -> new char[0]))
        .hasMessageContaining("smtp.username");
    assertThatThrownBy(() -> SmtpSettings.builder().ehloName("not valid!"))
        .hasMessageContaining("smtp.ehloName 'not valid!'");
  }
}
