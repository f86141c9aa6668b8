package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.SettingException;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.secondary.SecondarySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DongleConfigTest {
  private static final Map<String, String> ENV = Map.of("HOME", "/home/u");

  @Test
  void defaultsNeedNothing() {
    DongleConfig c = DongleConfig.defaults(ENV);
    assertThat(c.device()).isEqualTo(DeviceId.of("dongle"));
    assertThat(c.peers()).containsExactly(DeviceId.of("laptop"));
    assertThat(c.order()).containsExactly(DeviceId.of("laptop"), DeviceId.of("dongle"));
    assertThat(c.broker().mode()).isEqualTo(DongleConfig.BrokerMode.EMBEDDED);
    assertThat(c.broker().url()).isEqualTo("tcp://127.0.0.1:1883");
    assertThat(c.broker().maxMessageSize()).isEqualTo(256 * 1024);
    assertThat(c.path()).isEqualTo(SecondarySettings.PathKind.NONE);
    assertThat(c.dataDir()).isEqualTo(Path.of("/home/u/.local/state/twinpath-dongle"));
    assertThat(c.takeoverDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.sms().enabled()).isFalse();
    assertThat(
            DongleConfig.defaults(Map.of("STATE_DIRECTORY", "/var/lib/twinpath-dongle")).dataDir())
        .isEqualTo(Path.of("/var/lib/twinpath-dongle"));
  }

  @Test
  void readsAFullFileWithSecretsFromFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("smtp.secret"), "s3cret\n");
    Path conf = dir.resolve("dongle.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "# the dongle on a USB network interface",
            "device.id = dongle-1",
            "peers = laptop, desktop",
            "device.order = laptop, dongle-1, desktop",
            "data.dir = state",
            "storage.budget = 64MB",
            "takeover.delay = 2m",
            "broker.address = 192.168.7.1",
            "broker.port = 1884",
            "broker.username = twinpath",
            "broker.password = hunter2",
            "modem.port = /dev/ttyUSB2",
            "modem.dialect = ec25",
            "modem.apn = internet.example",
            "modem.pin = 1234",
            "gpio.power-pin = 6",
            "smtp.host = smtp.example.org",
            "smtp.tls = implicit",
            "smtp.username = me@example.org",
            "smtp.password-file = smtp.secret",
            "sms.numbers = +4915112345678, +447700900123",
            "sms.delay = 10m",
            ""));
    DongleConfig c = DongleConfig.load(conf, ENV);
    assertThat(c.device().value()).isEqualTo("dongle-1");
    assertThat(c.order())
        .extracting(DeviceId::value)
        .containsExactly("laptop", "dongle-1", "desktop");
    assertThat(c.dataDir()).isEqualTo(dir.resolve("state"));
    assertThat(c.storageBudget()).isEqualTo(64L << 20);
    assertThat(c.takeoverDelay()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.broker().url()).isEqualTo("tcp://192.168.7.1:1884");
    assertThat(c.broker().password().matches("hunter2".toCharArray())).isTrue();
    assertThat(c.modem().dialect()).isEqualTo(ModemDialect.EC25);
    assertThat(c.modem().powerPin().getAsInt()).isEqualTo(6);
    assertThat(c.path()).isEqualTo(SecondarySettings.PathKind.MODEM);
    assertThat(c.smtp().port()).isEqualTo(465);
    assertThat(new String(c.smtp().password().chars())).isEqualTo("s3cret");
    assertThat(c.sms().numbers()).containsExactly("+4915112345678", "+447700900123");
    assertThat(c.toString()).doesNotContain("hunter2", "s3cret", "1234");
    assertThat(c.broker().toString()).doesNotContain("hunter2");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad(
            Map.of("device.id", "Dongle_1"),
            "device.id = 'Dongle_1' is not accepted: use 1-64 lower-case"),
        bad(
            Map.of("peers", "dongle"),
            "peers = 'dongle' is not accepted: list the paired hosts, not this device"),
        bad(
            Map.of("peers", "laptop,laptop"),
            "peers = 'laptop,laptop' is not accepted: name each device once"),
        bad(
            Map.of("device.order", "dongle"),
            "device.order = 'dongle' is not accepted: list each of [dongle, laptop] exactly once"),
        bad(
            Map.of("storage.budget", "lots"),
            "storage.budget = 'lots' is not accepted: use a size like 512, 64k, 20m or 1g"),
        bad(
            Map.of("storage.budget", "10KB"),
            "storage.budget = '10KB' is not accepted: use a size like 512, 64k, 20m or 1g (binary multiples: 1k = 1024 bytes; kb, kib, mb, mib, … too), from 1MB to"),
        bad(
            Map.of("takeover.delay", "soon"),
            "takeover.delay = 'soon' is not accepted: use a duration like 250ms, 30s"),
        bad(
            Map.of("takeover.delay", "2d"),
            "takeover.delay = '2d' is not accepted: use a duration like 250ms, 30s, 5m, 2h or 7d (a bare number is seconds), from 0s to 1d"),
        bad(
            Map.of("broker", "mqtt://x:1"),
            "broker = 'mqtt://x:1' is not accepted: use embedded, or an external broker's URL"),
        bad(Map.of("broker", "tcp://host"), "broker = 'tcp://host' is not accepted"),
        bad(
            Map.of("broker", "tcp://h:1883", "broker.port", "1884"),
            "broker.port = '1884' is not accepted: it applies only when broker = embedded"),
        bad(
            Map.of("broker.address", "usb0"),
            "broker.address = 'usb0' is not accepted: use a literal IP address"),
        bad(
            Map.of("broker.port", "70000"),
            "broker.port = '70000' is not accepted: use a TCP port, 0 for any free port, or off (0-65535)"),
        bad(
            Map.of("broker.port", "off"),
            "broker.port = 'off' is not accepted: keep the plain port or set broker.tls.port"),
        bad(
            Map.of("broker.tls.port", "8883"),
            "broker.tls.keystore is missing: broker.tls.port is set, so name a PKCS12 or JKS key store"),
        bad(Map.of("broker.password", "pw"), "broker.username is missing: broker.password is set"),
        bad(
            Map.of("broker.max-message-size", "1KB"),
            "broker.max-message-size = '1KB' is not accepted: use a size like 512, 64k, 20m or 1g (binary multiples: 1k = 1024 bytes; kb, kib, mb, mib, … too), from 8KB to 256MB"),
        bad(
            Map.of("modem.dialect", "sim800"),
            "modem.dialect = 'sim800' is not accepted: use sim7600 (SIMCom SIM7600) or ec25"),
        bad(
            Map.of("modem.baud", "fast"),
            "modem.baud = 'fast' is not accepted: use a baud rate, 1200-4000000"),
        bad(
            Map.of("modem.apn", "my apn"),
            "modem.apn = 'my apn' is not accepted: use your provider's APN"),
        bad(
            Map.of("modem.pin", "12ab"),
            "modem.pin = (hidden) is not accepted: use the SIM PIN: 4 to 8 digits"),
        bad(
            Map.of("gpio.power-pin", "40"),
            "gpio.power-pin = '40' is not accepted: use a BCM GPIO number, 0-27"),
        bad(
            Map.of("gpio.power-pin", "6", "gpio.reset-pin", "6"),
            "gpio.reset-pin = '6' is not accepted: use a different pin than gpio.power-pin"),
        bad(
            Map.of("gpio.reset-pin", "5"),
            "gpio.reset-pin = '5' is not accepted: set gpio.power-pin too"),
        bad(Map.of("modem.recovery-after", "0"), "modem.recovery-after = '0' is not accepted"),
        bad(
            Map.of("modem.recovery-backoff", "1ms"),
            "modem.recovery-backoff = '1ms' is not accepted"),
        bad(
            Map.of("modem.recovery-backoff", "5m", "modem.recovery-backoff-max", "1m"),
            "modem.recovery-backoff-max = '1m' is not accepted: use at least modem.recovery-backoff"),
        bad(Map.of("path", "wifi"), "path = 'wifi' is not accepted: use modem"),
        bad(
            Map.of("path", "modem"),
            "modem.port is missing: path = modem needs the modem's AT port"),
        bad(
            Map.of("path", "interface", "smtp.host", "smtp.example.org"),
            "path.bind-address is missing: path = interface needs the local IP address"),
        bad(
            Map.of("path", "interface", "path.bind-address", "wwan0", "smtp.host", "s.example.org"),
            "path.bind-address = 'wwan0' is not accepted: use a literal IP address"),
        bad(
            Map.of("path.bind-address", "10.0.0.2"),
            "path.bind-address = '10.0.0.2' is not accepted: set it only together with path = interface"),
        bad(
            Map.of("modem.port", "/dev/ttyUSB2"),
            "smtp.host is missing: path = modem sends mail, so name the SMTP submission server"),
        bad(
            Map.of("smtp.host", "smtp example"),
            "smtp.host = 'smtp example' is not accepted: use a host name"),
        bad(
            Map.of("smtp.tls", "ssl"),
            "smtp.tls = 'ssl' is not accepted: use starttls (port 587), implicit (port 465) or none"),
        bad(Map.of("smtp.port", "0"), "smtp.port = '0' is not accepted: use a TCP port, 1-65535"),
        bad(Map.of("smtp.password", "x"), "smtp.username is missing: smtp.password is set"),
        bad(
            Map.of("smtp.password", "x", "smtp.password-file", "/f", "smtp.username", "u"),
            "smtp.password-file = '/f' is not accepted: set smtp.password or smtp.password-file, not both"),
        bad(
            Map.of("smtp.password-file", "/nonexistent/pw", "smtp.username", "u"),
            "smtp.password-file = '/nonexistent/pw' is not accepted: name a readable file"),
        bad(
            Map.of("smtp.timeout", "1s"),
            "smtp.timeout = '1s' is not accepted: use a duration like 250ms, 30s, 5m, 2h or 7d (a bare number is seconds), from 5s to 30m"),
        bad(
            Map.of("sms.numbers", "+4915112345678, call me"),
            "sms.numbers = '+4915112345678, call me' is not accepted: use phone numbers in international form"),
        bad(
            Map.of("sms.numbers", "+4915112345678"),
            "sms.numbers = '+4915112345678' is not accepted: SMS notices go out through the modem: set modem.port"),
        bad(
            Map.of("sms.delay", "5s"),
            "sms.delay = '5s' is not accepted: use a duration like 250ms, 30s, 5m, 2h or 7d (a bare number is seconds), from 1m to 7d"),
        bad(
            Map.of("inbound.protocol", "imap4"),
            "inbound.protocol = 'imap4' is not accepted: use imap, pop3 or off"),
        bad(
            Map.of("inbound.host", "imap.example.org"),
            "inbound.host = 'imap.example.org' is not accepted: set it only together with"
                + " inbound.protocol = imap or pop3"),
        bad(
            Map.of("inbound.protocol", "imap"),
            "inbound.host is missing: inbound.protocol = imap needs the mail server"),
        bad(
            Map.of("inbound.protocol", "imap", "inbound.host", "imap.example.org"),
            "inbound.username is missing: inbound.protocol is set, so give the mailbox's user name"),
        bad(
            Map.of("inbound.protocol", "pop3", "inbound.host", "h.example", "inbound.tls", "tls"),
            "inbound.tls = 'tls' is not accepted: use implicit (TLS from the first byte"),
        bad(
            Map.of("inbound.protocol", "pop3", "inbound.host", "h.example", "inbound.port", "0"),
            "inbound.port = '0' is not accepted: use a TCP port, 1-65535"),
        bad(
            inbound("inbound.delete", "true"),
            "inbound.delete = 'true' is not accepted: it is for pop3 only"),
        bad(
            inbound("inbound.delete", "maybe"),
            "inbound.delete = 'maybe' is not accepted: use true or false"),
        bad(
            inbound("inbound.policy", "sometimes"),
            "inbound.policy = 'sometimes' is not accepted: use always or while-host-unavailable"),
        bad(
            inbound("inbound.poll", "1s"),
            "inbound.poll = '1s' is not accepted: use a duration like 250ms, 30s, 5m, 2h or 7d (a bare number is seconds), from 10s to 1h"),
        bad(inbound("inbound.budget", "1TB"), "inbound.budget = '1TB' is not accepted"),
        bad(
            inbound("inbound.truststore", "/nonexistent/ts.p12"),
            "inbound.truststore = '/nonexistent/ts.p12' is not accepted: name a readable PKCS12"),
        bad(
            inbound("inbound.password-file", "/nonexistent/pw"),
            "inbound.password-file = '/nonexistent/pw' is not accepted: name a readable file"),
        bad(
            Map.of("smtp.hots", "x"),
            "smtp.hots = 'x' is not accepted: the key is unknown (did you mean smtp.host?)"));
  }

  /** A valid IMAP inbound setting with one more key. */
  private static Map<String, String> inbound(String key, String value) {
    return Map.of(
        "inbound.protocol",
        "imap",
        "inbound.host",
        "imap.example.org",
        "inbound.username",
        "bob",
        key,
        value);
  }

  @Test
  void inboundIsOffByDefaultAndImapsOnPort993WhenOn() {
    assertThat(DongleConfig.fromMap(Map.of(), ENV).inbound()).isEmpty();
    io.twinpath.secondary.InboundConfig in =
        DongleConfig.fromMap(inbound("inbound.password", "pw"), ENV).inbound().orElseThrow();
    assertThat(in.protocol()).isEqualTo(io.twinpath.core.inbound.FetchSettings.Protocol.IMAPS);
    assertThat(in.port()).isEqualTo(993);
    assertThat(in.policy()).isEqualTo(io.twinpath.core.inbound.FetchPolicy.WHILE_HOST_UNAVAILABLE);
    assertThat(in.budgetBytes()).isEqualTo(64L << 20); // a quarter of the 256MB storage budget
    assertThat(in.toString()).doesNotContain("pw,");
  }

  @Test
  void inboundTlsStarttlsUpgradesThePlainPort() {
    io.twinpath.secondary.InboundConfig in =
        DongleConfig.fromMap(inbound("inbound.tls", "starttls"), ENV).inbound().orElseThrow();
    io.twinpath.core.inbound.FetchSettings fetch = in.fetch().build();
    assertThat(fetch.protocol()).isEqualTo(io.twinpath.core.inbound.FetchSettings.Protocol.IMAP);
    assertThat(fetch.port()).isEqualTo(143);
    assertThat(fetch.starttls()).isTrue();
  }

  private static Arguments bad(Map<String, String> values, String message) {
    return Arguments.of(new LinkedHashMap<>(values), message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void everyBadValueNamesKeyValueAndWhatIsAccepted(Map<String, String> values, String message) {
    assertThatThrownBy(() -> DongleConfig.fromMap(values, ENV))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void secretsAreNeverEchoed() {
    assertThatThrownBy(
            () ->
                DongleConfig.fromMap(
                    Map.of("modem.pin", "12ab-secret", "modem.port", "/dev/x"), ENV))
        .hasMessageNotContaining("12ab-secret");
  }

  @Test
  void fileErrorsNameTheLine(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("dongle.conf");
    Files.write(conf, List.of("# comment", "", "smtp.tls = ssl"));
    assertThatThrownBy(() -> DongleConfig.load(conf, ENV))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith(conf + ":3: smtp.tls = 'ssl' is not accepted");
    Files.write(conf, List.of("broker.port = 1", "broker.port = 2"));
    assertThatThrownBy(() -> DongleConfig.load(conf, ENV))
        .hasMessageStartingWith(conf + ":2: broker.port = '2' is not accepted")
        .hasMessageContaining("set twice")
        .hasMessageContaining("lines 1 and 2");
    Files.write(conf, List.of("just words"));
    assertThatThrownBy(() -> DongleConfig.load(conf, ENV))
        .hasMessageStartingWith(conf + ":1: ")
        .hasMessageContaining("key = value");
  }

  @Test
  void aSecretSetTwiceIsNotShown(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("dongle.conf");
    Files.write(conf, List.of("smtp.password = First-Pa55", "smtp.password = Second-Pa55"));
    assertThatThrownBy(() -> DongleConfig.load(conf, ENV))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith(conf + ":2: smtp.password = (hidden) is not accepted")
        .hasMessageContaining("lines 1 and 2")
        .hasMessageNotContaining("First-Pa55")
        .hasMessageNotContaining("Second-Pa55");
  }

  @Test
  void overridesWinOverTheFile(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("dongle.conf");
    Files.write(conf, List.of("broker.port = 1884", "device.id = a"));
    DongleConfig c = DongleConfig.load(conf, Map.of("broker.port", "0"), ENV);
    assertThat(c.broker().listenPort()).isZero();
    assertThat(c.device().value()).isEqualTo("a");
  }

  @Test
  void readsTheValueSyntaxEveryFrontEndShares() {
    DongleConfig c =
        DongleConfig.fromMap(
            Map.of(
                "takeover.delay", "90", // a bare number is seconds
                "storage.budget", "1g",
                "broker.max-message-size", "64kib",
                "modem.poll", "PT20S"),
            ENV);
    assertThat(c.takeoverDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.storageBudget()).isEqualTo(1L << 30);
    assertThat(c.broker().maxMessageSize()).isEqualTo(64 << 10);
    assertThat(c.modem().poll()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void overrideErrorsNameTheCommandLine() {
    assertThatThrownBy(() -> DongleConfig.fromOverrides(Map.of("smtp.tls", "ssl"), ENV))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("--set: smtp.tls = 'ssl' is not accepted: use starttls");
  }
}
