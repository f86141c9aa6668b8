package io.twinpath.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
  private static final ValueParser<Duration> ANY_DURATION =
      Values.duration(Duration.ZERO, Duration.ofDays(3650));
  private static final ValueParser<Long> ANY_SIZE = Values.size(0, Long.MAX_VALUE);

  enum Colour {
    RED,
    DARK_BLUE
  }

  @ParameterizedTest
  @CsvSource({
    // text, milliseconds
    "250ms, 250",
    "30s, 30000",
    "30, 30000", // a bare number is seconds (host and Kura files)
    "5m, 300000",
    "5min, 300000", // the dongle's spelling
    "5 M, 300000", // case-insensitive, blank before the unit
    "2h, 7200000",
    "7d, 604800000",
    "' 10s ', 10000", // surrounding blanks
    "PT30S, 30000", // ISO-8601, as the dongle read it
    "0, 0",
  })
  void readsDurations(String text, long millis) {
    assertThat(ANY_DURATION.parse("k", text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "s", "10x", "-5s", "1.5h", "10 s s", "PT-5S", "1w"})
  void rejectsWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> ANY_DURATION.parse("modem.poll", text))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("modem.poll = '" + text + "' is not accepted: use a duration");
  }

  @Test
  void durationOutOfRangeNamesTheRange() {
    ValueParser<Duration> p = Values.duration(Duration.ofMinutes(1), Duration.ofDays(7));
    assertThat(p.parse("sms.delay", "7d")).isEqualTo(Duration.ofDays(7));
    assertThat(p.parse("sms.delay", "1m")).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> p.parse("sms.delay", "8d"))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "sms.delay = '8d' is not accepted: use a duration like 250ms, 30s, 5m, 2h or 7d (a"
                + " bare number is seconds), from 1m to 7d");
    assertThatThrownBy(() -> p.parse("sms.delay", "59s")).isInstanceOf(SettingException.class);
  }

  @Test
  void formatsDurationsInTheLargestWholeUnit() {
    assertThat(Values.formatDuration(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Values.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Values.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Values.formatDuration(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Values.formatDuration(Duration.ofHours(24))).isEqualTo("1d");
    assertThat(Values.formatDuration(Duration.ZERO)).isEqualTo("0s");
  }

  @ParameterizedTest
  @CsvSource({
    // text, bytes
    "512, 512",
    "512b, 512",
    "64k, 65536",
    "64K, 65536", // the host's and Kura's spelling
    "64kb, 65536",
    "64KiB, 65536", // the dongle's spelling
    "20m, 20971520",
    "20MB, 20971520",
    "20mib, 20971520",
    "'20 M', 20971520",
    "1g, 1073741824",
    "1GB, 1073741824",
    "1gib, 1073741824",
    "1T, 1099511627776", // Kura's
    "1tb, 1099511627776",
  })
  void readsSizesInBinaryMultiples(String text, long bytes) {
    assertThat(ANY_SIZE.parse("k", text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "k", "1.5g", "-1", "10 bytes", "1p", "99999999999999999g"})
  void rejectsWhatIsNotASize(String text) {
    assertThatThrownBy(() -> ANY_SIZE.parse("storage.budget", text))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("storage.budget = '" + text + "' is not accepted: use a size");
  }

  @Test
  void sizeOutOfRangeNamesTheRange() {
    ValueParser<Long> p = Values.size(1L << 20, 1L << 40);
    assertThatThrownBy(() -> p.parse("storage.budget", "512k"))
        .hasMessage(
            "storage.budget = '512k' is not accepted: use a size like 512, 64k, 20m or 1g (binary"
                + " multiples: 1k = 1024 bytes; kb, kib, mb, mib, … too), from 1MB to 1TB");
    assertThat(Values.formatSize(256L << 20)).isEqualTo("256MB");
    assertThat(Values.formatSize(1536)).isEqualTo("1536");
    assertThat(Values.formatSize(3L << 40)).isEqualTo("3TB");
  }

  @Test
  void integersCarryTheirRange() {
    ValueParser<Integer> p = Values.integer(1200, 4_000_000, "a baud rate");
    assertThat(p.parse("modem.baud", " 115200 ")).isEqualTo(115200);
    assertThat(p.kind()).isEqualTo(ValueParser.Kind.INTEGER);
    assertThat(p.min()).hasValue(1200);
    assertThat(p.max()).hasValue(4_000_000);
    assertThatThrownBy(() -> p.parse("modem.baud", "300"))
        .hasMessage("modem.baud = '300' is not accepted: use a baud rate, 1200-4000000");
    assertThatThrownBy(() -> p.parse("modem.baud", "fast"))
        .hasMessage("modem.baud = 'fast' is not accepted: use a baud rate, 1200-4000000");
    assertThatThrownBy(() -> Values.port().parse("smtp.port", "65536"))
        .hasMessage("smtp.port = '65536' is not accepted: use a TCP port, 1-65535");
  }

  @ParameterizedTest
  @CsvSource({"true, true", "YES, true", "on, true", "false, false", "No, false", "off, false"})
  void readsBooleans(String text, boolean value) {
    assertThat(Values.bool().parse("k", text)).isEqualTo(value);
  }

  @Test
  void rejectsOtherBooleans() {
    assertThatThrownBy(() -> Values.bool().parse("inbound.delete", "1"))
        .hasMessage("inbound.delete = '1' is not accepted: use true or false");
  }

  @Test
  void enumsByNameListTheNames() {
    ValueParser<Colour> p = Values.oneOf(Colour.class);
    assertThat(p.parse("c", "dark-blue")).isEqualTo(Colour.DARK_BLUE);
    assertThat(p.parse("c", "RED")).isEqualTo(Colour.RED);
    assertThat(p.options()).containsExactly("red", "dark-blue");
    assertThatThrownBy(() -> p.parse("colour", "green"))
        .hasMessage("colour = 'green' is not accepted: use red or dark-blue");
    ValueParser<String> s = Values.oneOf("a", "b", "c");
    assertThat(s.parse("k", "B")).isEqualTo("b");
    assertThatThrownBy(() -> s.parse("k", "d"))
        .hasMessage("k = 'd' is not accepted: use a, b or c");
  }

  @Test
  void tlsModesReadTheHostsWordsToo() {
    ValueParser<TlsMode> p = Values.tlsMode();
    assertThat(p.parse("smtp.tls", "starttls")).isEqualTo(TlsMode.STARTTLS);
    assertThat(p.parse("smtp.tls", "implicit")).isEqualTo(TlsMode.IMPLICIT);
    assertThat(p.parse("smtp.tls", "on")).isEqualTo(TlsMode.IMPLICIT);
    assertThat(p.parse("smtp.tls", "none")).isEqualTo(TlsMode.NONE);
    assertThat(p.parse("smtp.tls", "OFF")).isEqualTo(TlsMode.NONE);
    assertThat(p.options()).containsExactly("starttls", "implicit", "none");
    assertThatThrownBy(() -> p.parse("smtp.tls", "ssl"))
        .hasMessage("smtp.tls = 'ssl' is not accepted: use starttls, implicit or none");
  }

  @Test
  void listsAreCommaSeparated() {
    ValueParser<List<Integer>> p = Values.listOf(Values.port());
    assertThat(p.parse("k", "25, 587,465")).containsExactly(25, 587, 465);
    assertThat(p.parse("k", " ")).isEmpty();
    assertThatThrownBy(() -> p.parse("ports", "25,,587"))
        .hasMessage(
            "ports = '25,,587' is not accepted: give a comma-separated list; each item: use a TCP"
                + " port, 1-65535");
    assertThatThrownBy(() -> p.parse("ports", "25,x"))
        .hasMessageStartingWith("ports = '25,x' is not accepted: give a comma-separated list");
  }

  @Test
  void hostNamesAndAddresses() {
    assertThat(Values.hostName().parse("smtp.host", "smtp.example.org"))
        .isEqualTo("smtp.example.org");
    assertThat(Values.hostName().parse("smtp.host", "[::1]")).isEqualTo("::1");
    assertThatThrownBy(() -> Values.hostName().parse("smtp.host", "smtp example"))
        .hasMessage(
            "smtp.host = 'smtp example' is not accepted: use a host name like smtp.example.org or"
                + " an IP address");
    assertThat(Values.ipAddress().parse("a", "127.0.0.1"))
        .isEqualTo(InetAddress.getLoopbackAddress());
    assertThatThrownBy(() -> Values.ipAddress().parse("path.bind-address", "localhost"))
        .hasMessage(
            "path.bind-address = 'localhost' is not accepted: use a literal IP address such as"
                + " 127.0.0.1, 0.0.0.0, 192.168.7.1 or ::1");
  }

  @Test
  void hostAndPort() {
    ValueParser<InetSocketAddress> p = Values.hostPort(1883);
    assertThat(p.parse("a", "broker.lan"))
        .isEqualTo(InetSocketAddress.createUnresolved("broker.lan", 1883));
    assertThat(p.parse("a", "broker.lan:8883"))
        .isEqualTo(InetSocketAddress.createUnresolved("broker.lan", 8883));
    assertThat(p.parse("a", "[::1]:1884"))
        .isEqualTo(InetSocketAddress.createUnresolved("::1", 1884));
    assertThat(p.parse("a", "[::1]")).isEqualTo(InetSocketAddress.createUnresolved("::1", 1883));
    for (String bad : new String[] {"broker.lan:0", "broker.lan:x", "[::1", "[::1]x", "a b:1"}) {
      assertThatThrownBy(() -> p.parse("broker", bad))
          .hasMessage(
              "broker = '"
                  + bad
                  + "' is not accepted: use host:port, e.g. mail.example.org:587 or [::1]:1883"
                  + " (port 1-65535)");
    }
  }

  @Test
  void absolutePaths() {
    assertThat(Values.absolutePath().parse("data.dir", "/var/lib/x"))
        .isEqualTo(Path.of("/var/lib/x"));
    assertThatThrownBy(() -> Values.absolutePath().parse("data.dir", "var/lib"))
        .hasMessage(
            "data.dir = 'var/lib' is not accepted: give an absolute path, e.g. /var/lib/twinpath");
  }

  @Test
  void textIsNotBlankAndMapChecksFurther() {
    assertThat(Values.text().parse("k", " a b ")).isEqualTo("a b");
    ValueParser<String> even =
        Values.text()
            .map(
                "use an even number of characters",
                s -> {
                  if (s.length() % 2 != 0) {
                    throw new IllegalArgumentException("odd");
                  }
                  return s;
                });
    assertThat(even.parse("k", "ab")).isEqualTo("ab");
    assertThatThrownBy(() -> even.parse("k", "abc"))
        .hasMessage("k = 'abc' is not accepted: use an even number of characters");
  }
}
