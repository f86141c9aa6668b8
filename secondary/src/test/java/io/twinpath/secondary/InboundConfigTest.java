package io.twinpath.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.config.SettingException;
import io.twinpath.core.inbound.FetchPolicy;
import io.twinpath.core.inbound.FetchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The shared {@code inbound.*} settings: TLS modes, ports and checks. */
class InboundConfigTest {
  static InboundConfig.Builder imap() {
    return Objects.requireNonNull(InboundConfig.builder("imap"))
        .host("imap.example.org")
        .username("bob");
  }

  @Test
  void eachTlsModeYieldsItsProtocolAndPort() {
    InboundConfig implicit = imap().build(256L << 20);
    assertThat(implicit.protocol()).isEqualTo(FetchSettings.Protocol.IMAPS);
    assertThat(implicit.port()).isEqualTo(993);
    assertThat(implicit.fetch().build().starttls()).isFalse();

    InboundConfig starttls = imap().tls("starttls").build(256L << 20);
    FetchSettings s = starttls.fetch().build();
    assertThat(s.protocol()).isEqualTo(FetchSettings.Protocol.IMAP);
    assertThat(s.port()).isEqualTo(143);
    assertThat(s.starttls()).isTrue();

    InboundConfig pop3 =
        Objects.requireNonNull(InboundConfig.builder("POP3"))
            .host("pop.example.org")
            .username("bob")
            .tls("STARTTLS")
            .delete(true)
            .build(256L << 20);
    assertThat(pop3.fetch().build().protocol()).isEqualTo(FetchSettings.Protocol.POP3);
    assertThat(pop3.port()).isEqualTo(110);
    assertThat(pop3.fetch().build().starttls()).isTrue();
    assertThat(pop3.fetch().build().deleteAfterDownload()).isTrue();

    InboundConfig none = imap().tls("none").port(1143).build(256L << 20);
    assertThat(none.fetch().build().starttls()).isFalse();
    assertThat(none.port()).isEqualTo(1143);
  }

  @Test
  void defaultsAreAQuarterOfTheStorageBudgetAndWhileHostUnavailable() {
    InboundConfig c = imap().build(256L << 20);
    assertThat(c.budgetBytes()).isEqualTo(64L << 20);
    assertThat(c.policy()).isEqualTo(FetchPolicy.WHILE_HOST_UNAVAILABLE);
    assertThat(c.poll()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.inbound().budgetBytes()).isEqualTo(64L << 20);
    assertThat(imap().policy("always").build(256L << 20).inbound().policy())
        .isEqualTo(FetchPolicy.ALWAYS);
  }

  @Test
  void badValuesNameTheKeyAndTheValue() {
    assertThat(InboundConfig.builder("off")).isNull();
    assertThatThrownBy(() -> InboundConfig.builder("imap4"))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith(
            "inbound.protocol = 'imap4' is not accepted: use imap, pop3 or off");
    assertThatThrownBy(() -> imap().tls("tls"))
        .hasMessageStartingWith(
            "inbound.tls = 'tls' is not accepted: use implicit (TLS from the first byte")
        .hasMessageContaining("starttls");
    assertThatThrownBy(() -> imap().port(0))
        .hasMessage("inbound.port = '0' is not accepted: use a TCP port, 1-65535");
    assertThatThrownBy(() -> imap().delete(true))
        .hasMessageStartingWith("inbound.delete = 'true' is not accepted: it is for pop3 only");
    assertThatThrownBy(() -> imap().policy("sometimes"))
        .hasMessage(
            "inbound.policy = 'sometimes' is not accepted: use always or while-host-unavailable");
    assertThatThrownBy(() -> imap().poll(Duration.ofSeconds(1)))
        .hasMessageStartingWith("inbound.poll = '1s' is not accepted");
    assertThatThrownBy(() -> imap().host("").build(256L << 20))
        .hasMessageStartingWith("inbound.host is missing: inbound.protocol = imap needs");
    assertThatThrownBy(() -> imap().host("bad host").build(256L << 20))
        .hasMessageStartingWith("inbound.host = 'bad host' is not accepted");
    assertThatThrownBy(() -> imap().username("").build(256L << 20))
        .hasMessageStartingWith("inbound.username is missing");
    assertThatThrownBy(() -> imap().budget(512L << 20).build(256L << 20))
        .hasMessageStartingWith("inbound.budget = '536870912 bytes' is not accepted");
    assertThatThrownBy(() -> imap().truststore(Path.of("/nonexistent/ts.p12"), () -> new char[0]))
        .hasMessageStartingWith("inbound.truststore = '/nonexistent/ts.p12' is not accepted");
    assertThatThrownBy(
            () -> Objects.requireNonNull(InboundConfig.builder("pop3")).folder("Archive"))
        .hasMessageStartingWith("inbound.folder = 'Archive' is not accepted: it is for imap only");
  }
}
