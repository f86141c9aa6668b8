package io.twinpath.kura.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.config.Secret;
import io.twinpath.secondary.SecondarySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The form's settings become the shared secondary's: modem, GPIO, recovery and SMS notices. */
class AssemblyTest {
  private static KuraSettings read(Map<String, Object> p) {
    return KuraSettings.from(p, (key, v) -> Secret.of(v.toCharArray()));
  }

  private static Map<String, Object> modemForm() {
    Map<String, Object> p = new HashMap<>();
    p.put("path", "modem");
    p.put("modem.port", "/dev/ttyUSB2");
    p.put("modem.dialect", "ec25");
    p.put("smtp.host", "smtp.example.org");
    return p;
  }

  @Test
  void theModemPathCarriesGpioRecoveryAndSmsNotices() {
    Map<String, Object> p = modemForm();
    p.put("gpio.power-pin", 17);
    p.put("gpio.reset-pin", 27);
    p.put("modem.poll", "10s");
    p.put("modem.recovery-after", 5);
    p.put("modem.recovery-backoff", "1m");
    p.put("modem.recovery-backoff-max", "1h");
    p.put("sms.numbers", "+4915112345678, +447700900123");
    p.put("sms.delay", "20m");
    SecondarySettings s =
        Assembly.settings(read(p), Path.of("/var/lib/twinpath"), Clock.systemUTC());
    assertThat(s.path()).isEqualTo(SecondarySettings.PathKind.MODEM);
    SecondarySettings.Modem m = s.modem();
    assertThat(m).isNotNull();
    assertThat(m.poll()).isEqualTo(Duration.ofSeconds(10));
    assertThat(m.recoveryAfter()).isEqualTo(5);
    assertThat(m.recoveryBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(m.recoveryBackoffMax()).isEqualTo(Duration.ofHours(1));
    assertThat(m.power()).isNotNull();
    assertThat(m.power().powerKeyPin()).isEqualTo(17);
    assertThat(m.power().resetPin()).isEqualTo(27);
    assertThat(m.power().powerOnPulse()).as("EC25 timings").isEqualTo(Duration.ofMillis(1500));
    assertThat(s.smsNumbers()).containsExactly("+4915112345678", "+447700900123");
    assertThat(s.smsDelay()).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void withoutGpioOrNumbersNothingIsWiredOrSent() {
    SecondarySettings s =
        Assembly.settings(read(modemForm()), Path.of("/var/lib/twinpath"), Clock.systemUTC());
    assertThat(s.modem()).isNotNull();
    assertThat(s.modem().power()).isNull();
    assertThat(s.modem().recoveryAfter()).isEqualTo(3);
    assertThat(s.smsNumbers()).isEmpty();
  }

  @Test
  void badValuesNameTheSetting() {
    Map<String, Object> resetAlone = modemForm();
    resetAlone.put("gpio.reset-pin", 27);
    assertThatThrownBy(() -> Assembly.validate(read(resetAlone)))
        .hasMessageStartingWith(
            "Kura configuration: gpio.reset-pin = '27' is not accepted: set gpio.power-pin too");
    Map<String, Object> numbers = modemForm();
    numbers.put("sms.numbers", "+4915112345678, ring me");
    assertThatThrownBy(() -> Assembly.validate(read(numbers)))
        .hasMessageStartingWith(
            "Kura configuration: sms.numbers = '+4915112345678, ring me' is not accepted");
    Map<String, Object> backoff = modemForm();
    backoff.put("modem.recovery-backoff", "2h");
    backoff.put("modem.recovery-backoff-max", "1h");
    assertThatThrownBy(() -> Assembly.validate(read(backoff)))
        .hasMessageContaining("modem.recovery-backoff");
    Map<String, Object> pin = modemForm();
    pin.put("gpio.power-pin", 40);
    assertThatThrownBy(() -> read(pin))
        .hasMessageContaining("gpio.power-pin")
        .hasMessageContaining("0-27");
    Map<String, Object> after = modemForm();
    after.put("modem.recovery-after", 0);
    assertThatThrownBy(() -> read(after))
        .hasMessageContaining("modem.recovery-after")
        .hasMessageContaining("1-100");
  }

  @Test
  void anUnusableTrustStoreNamesTheSettingAndTheFile(@TempDir Path dir) throws Exception {
    Path ts = dir.resolve("broker-trust.p12");
    Files.writeString(ts, "not a key store");
    Map<String, Object> p = new HashMap<>();
    p.put("broker", "ssl://broker.example.org:8883");
    p.put("broker.tls.truststore", ts.toString());
    p.put("broker.tls.truststore-password", "changeit");
    assertThatThrownBy(() -> Assembly.link(read(p), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("setting broker.tls.truststore '" + ts + "'")
        .hasMessageContaining("cannot be read as PKCS12 or JKS")
        .hasMessageEndingWith("; give a PKCS12 or JKS file and its password");
  }

  /** The inbound settings of the form, with the defaults Kura creates from the metatype. */
  private static Map<String, Object> inboundForm() {
    Map<String, Object> p = new HashMap<>();
    p.put("path", "interface");
    p.put("path.bind-address", "10.64.12.7");
    p.put("smtp.host", "smtp.example.org");
    p.put("inbound.protocol", "imap");
    p.put("inbound.tls", "implicit");
    p.put("inbound.host", "imap.example.org");
    p.put("inbound.username", "bob");
    p.put("inbound.password", "mailbox-secret");
    p.put("inbound.folder", "INBOX");
    p.put("inbound.delete", Boolean.FALSE);
    p.put("inbound.policy", "while-host-unavailable");
    p.put("inbound.poll", "2m");
    return p;
  }

  @Test
  void theInboundMailboxMapsOntoTheSharedSettingsLikeTheDongles() {
    Map<String, Object> p = inboundForm();
    SecondarySettings s =
        Assembly.settings(read(p), Path.of("/var/lib/twinpath"), Clock.systemUTC());
    SecondarySettings.Inbound in = s.inbound();
    assertThat(in).isNotNull();
    assertThat(in.budgetBytes()).as("a quarter of 256MB").isEqualTo(64L << 20);
    assertThat(in.policy()).isEqualTo(io.twinpath.core.inbound.FetchPolicy.WHILE_HOST_UNAVAILABLE);
    io.twinpath.core.inbound.FetchSettings f = in.fetch().get().build();
    assertThat(f.protocol()).isEqualTo(io.twinpath.core.inbound.FetchSettings.Protocol.IMAPS);
    assertThat(f.port()).isEqualTo(993);
    assertThat(f.username()).isEqualTo("bob");
    assertThat(new String(f.password().get())).isEqualTo("mailbox-secret");
    assertThat(f.starttls()).isFalse();

    p.put("inbound.protocol", "pop3");
    p.put("inbound.tls", "starttls");
    p.put("inbound.delete", Boolean.TRUE);
    p.put("inbound.policy", "always");
    p.put("inbound.poll", "30s");
    p.put("inbound.budget", "16MB");
    KuraSettings pop3 = read(p);
    assertThat(pop3.summary())
        .contains("inbound pop3://bob@imap.example.org:110")
        .doesNotContain("mailbox-secret");
    SecondarySettings.Inbound in2 =
        Assembly.settings(pop3, Path.of("/var/lib/twinpath"), Clock.systemUTC()).inbound();
    assertThat(in2).isNotNull();
    f = in2.fetch().get().build();
    assertThat(f.protocol()).isEqualTo(io.twinpath.core.inbound.FetchSettings.Protocol.POP3);
    assertThat(f.port()).isEqualTo(110);
    assertThat(f.starttls()).isTrue();
    assertThat(f.deleteAfterDownload()).isTrue();
    assertThat(f.pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(in2.budgetBytes()).isEqualTo(16L << 20);
    assertThat(in2.policy()).isEqualTo(io.twinpath.core.inbound.FetchPolicy.ALWAYS);

    p.put("inbound.protocol", "off");
    assertThat(
            Assembly.settings(read(p), Path.of("/var/lib/twinpath"), Clock.systemUTC()).inbound())
        .as("the form's other inbound values are ignored while the protocol is off")
        .isNull();
  }

  @Test
  void badInboundValuesNameTheSettingAndTheValue() {
    Map<String, Object> p = inboundForm();
    p.put("inbound.tls", "tls");
    assertThatThrownBy(() -> read(p))
        .hasMessageStartingWith(
            "Kura configuration: inbound.tls = 'tls' is not accepted: use implicit")
        .hasMessageContaining("starttls");
    Map<String, Object> q = inboundForm();
    q.put("inbound.protocol", "imap4");
    assertThatThrownBy(() -> read(q))
        .hasMessageStartingWith("Kura configuration: inbound.protocol = 'imap4' is not accepted");
    Map<String, Object> r = inboundForm();
    r.remove("inbound.host");
    assertThatThrownBy(() -> read(r))
        .hasMessageStartingWith(
            "Kura configuration: inbound.host is missing: inbound.protocol = imap");
    Map<String, Object> d = inboundForm();
    d.put("inbound.delete", Boolean.TRUE);
    assertThatThrownBy(() -> read(d))
        .hasMessageStartingWith(
            "Kura configuration: inbound.delete = 'true' is not accepted: it is for pop3");
    Map<String, Object> b = inboundForm();
    b.put("inbound.budget", "512MB");
    assertThatThrownBy(() -> read(b))
        .hasMessageStartingWith("Kura configuration: inbound.budget = '512MB' is not accepted");
    Map<String, Object> port = inboundForm();
    port.put("inbound.port", 70000);
    assertThatThrownBy(() -> read(port))
        .hasMessage(
            "Kura configuration: inbound.port = '70000' is not accepted: use a TCP port, 1-65535");
    Map<String, Object> poll = inboundForm();
    poll.put("inbound.poll", "1s");
    assertThatThrownBy(() -> read(poll))
        .hasMessageStartingWith("Kura configuration: inbound.poll = '1s' is not accepted");
    Map<String, Object> pw = inboundForm();
    pw.put("inbound.tls", "bogus");
    assertThatThrownBy(() -> read(pw)).hasMessageNotContaining("mailbox-secret");
  }
}
