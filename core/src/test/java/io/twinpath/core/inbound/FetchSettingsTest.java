package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FetchSettingsTest {
  private static FetchSettings.Builder valid() {
    return FetchSettings.builder()
        .host("mail.example.org")
        .username("bob")
        .password("pw"::toCharArray);
  }

  @Test
  void defaultsAndTimeoutsAreSetExplicitly() {
    FetchSettings s = valid().protocol("pop3s").build();
    assertThat(s.port()).isEqualTo(995);
    Properties p = MailFetcher.properties(s);
    assertThat(p.getProperty("mail.pop3s.connectiontimeout")).isEqualTo("30000");
    assertThat(p.getProperty("mail.pop3s.timeout")).isEqualTo("60000");
    assertThat(p.getProperty("mail.pop3s.writetimeout")).isEqualTo("60000");
    assertThat(p.getProperty("mail.pop3s.ssl.checkserveridentity")).isEqualTo("true");
    assertThat(s.toString()).doesNotContain("pw");
  }

  @Test
  void badValuesNameTheKeyTheValueAndWhatIsAccepted() {
    assertThatThrownBy(() -> valid().protocol("smtp"))
        .hasMessageContaining("inbound.protocol 'smtp'")
        .hasMessageContaining("imap, imaps, pop3 or pop3s");
    assertThatThrownBy(() -> valid().port(70000)).hasMessageContaining("inbound.port 70000");
    assertThatThrownBy(() -> valid().host("a b")).hasMessageContaining("inbound.host 'a b'");
    assertThatThrownBy(() -> valid().readTimeout(Duration.ZERO))
        .hasMessageContaining("inbound.readTimeout PT0S");
    assertThatThrownBy(() -> valid().protocol("imap").deleteAfterDownload(true).build())
        .hasMessageContaining("deleteAfterDownload is for pop3");
    assertThatThrownBy(() -> FetchSettings.builder().username("x").build())
        .hasMessageContaining("inbound.host is missing");
  }

  @Test
  void thePolicyGatesTheSecondary() {
    AtomicBoolean hostUp = new AtomicBoolean(true);
    assertThat(FetchPolicy.ALWAYS.gate(hostUp::get).getAsBoolean()).isTrue();
    assertThat(FetchPolicy.WHILE_HOST_UNAVAILABLE.gate(hostUp::get).getAsBoolean()).isFalse();
    hostUp.set(false);
    assertThat(FetchPolicy.WHILE_HOST_UNAVAILABLE.gate(hostUp::get).getAsBoolean()).isTrue();
    assertThat(FetchPolicy.parse("While_Host_Unavailable"))
        .isEqualTo(FetchPolicy.WHILE_HOST_UNAVAILABLE);
    assertThatThrownBy(() -> FetchPolicy.parse("sometimes"))
        .hasMessageContaining("inbound.fetchPolicy 'sometimes'");
  }

  @Test
  void aTrustStoreMustBeReadableAndHoldACertificate(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    assertThatThrownBy(() -> valid().trustStore(dir.resolve("missing.p12"), new char[0]).build())
        .hasMessageContaining("inbound.trustStore")
        .hasMessageContaining("not a readable file");
    java.nio.file.Path empty = dir.resolve("empty.p12");
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (var out = java.nio.file.Files.newOutputStream(empty)) {
      ks.store(out, "pw".toCharArray());
    }
    assertThatThrownBy(() -> valid().trustStore(empty, "pw".toCharArray()).build())
        .hasMessageContaining("holds no certificate");
    assertThatThrownBy(() -> valid().trustStore(empty, "wrong".toCharArray()).build())
        .hasMessageContaining("cannot be read");
    assertThat(valid().protocol("imaps").build().sslSocketFactory()).isNull();
  }
}
