package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModemSimMainTest {
  @Test
  void parsesEveryOption() {
    ModemSimMain.Parsed p =
        ModemSimMain.parse(
            new String[] {
              "--dialect",
              "ec25",
              "--pin",
              "1234",
              "--registration",
              "roaming",
              "--rssi",
              "9",
              "--latency-ms",
              "40",
              "--bandwidth-kbps",
              "1000",
              "--reply-delay-ms",
              "5",
              "--guard-ms",
              "300",
              "--transparent-close",
              "closed",
              "--garbage",
              "/tmp/modem"
            });
    assertThat(p.tty).isEqualTo("/tmp/modem");
    assertThat(p.garbage).isTrue();
    SimConfig c = p.config;
    assertThat(c.dialect()).isEqualTo(Dialect.EC25);
    assertThat(c.pin()).isEqualTo("1234");
    assertThat(c.registration()).isEqualTo(RegistrationState.ROAMING);
    assertThat(c.rssi()).isEqualTo(9);
    assertThat(c.linkLatency()).isEqualTo(Duration.ofMillis(40));
    assertThat(c.linkBitsPerSecond()).isEqualTo(1_000_000);
    assertThat(c.guardTime()).isEqualTo(Duration.ofMillis(300));
    assertThat(c.transparentClose()).isEqualTo(SimConfig.TransparentClose.CLOSED);
  }

  @Test
  void badValuesNameTheOptionAndWhatIsAccepted() {
    assertThatThrownBy(() -> ModemSimMain.parse(new String[] {"--dialect", "bg96", "/tmp/x"}))
        .hasMessage("dialect 'bg96' is not known; use sim7600 or ec25");
    assertThatThrownBy(() -> ModemSimMain.parse(new String[] {"--rssi", "40", "/tmp/x"}))
        .hasMessage("rssi 40 is not accepted; use 0-31, or 99 for unknown");
    assertThatThrownBy(() -> ModemSimMain.parse(new String[] {"--latency-ms", "soon", "/tmp/x"}))
        .hasMessage("option --latency-ms value 'soon' is not a non-negative whole number");
    assertThatThrownBy(() -> ModemSimMain.parse(new String[] {"--cipsend-ok", "maybe", "/x"}))
        .hasMessage("option --cipsend-ok value 'maybe' is not accepted; use yes or no");
    assertThatThrownBy(() -> ModemSimMain.parse(new String[] {"--dialect", "ec25"}))
        .hasMessage("the tty is missing");
    assertThatThrownBy(() -> ModemSimMain.parse(new String[] {"--frobnicate", "/x"}))
        .hasMessage("unknown option '--frobnicate'");
  }

  @Test
  void configRejectsBadValuesByName() {
    assertThatThrownBy(() -> SimConfig.builder(Dialect.SIM7600).pin("12a4"))
        .hasMessage("pin '****' is not 4 to 8 digits");
    assertThatThrownBy(() -> SimConfig.builder(Dialect.SIM7600).linkBitsPerSecond(100))
        .hasMessageContaining("link bit rate 100 is not accepted");
    assertThatThrownBy(() -> SimConfig.builder(Dialect.EC25).guardTime(Duration.ofMillis(10)))
        .hasMessage("guardTime 10 ms is not accepted; use 50 ms to 5 s");
  }

  @Test
  void smsLogLinesAreTabSeparatedWithEscapedText() {
    SentSms s =
        new SentSms(
            "+4917000",
            "two\tcolumns\nand lines",
            "11000B91",
            "GSM7",
            4,
            42,
            3,
            2,
            java.time.Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(ModemSimMain.smsLine(s))
        .isEqualTo(
            "2026-01-02T03:04:05Z\t+4917000\tGSM7\t2/3\t42\ttwo\\tcolumns\\nand lines\t11000B91\n");
    assertThat(ModemSimMain.parse(new String[] {"--sms-log", "/tmp/sms.tsv", "/x"}).smsLog)
        .isEqualTo(java.nio.file.Path.of("/tmp/sms.tsv"));
  }
}
