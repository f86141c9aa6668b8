package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bring-up commands of both dialects over a real pty. */
class BringUpIT {
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void bootsWithEchoOnUntilAte0(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.start(SimConfig.of(dialect))) {
      if (dialect == Dialect.SIM7600) {
        assertThat(h.at.expectText("PB DONE\r\n"))
            .isEqualTo("\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n");
      }
      // echo: the command comes back before the reply
      assertThat(h.at.send("AT")).isEqualTo("AT\r\r\nOK\r\n");
      assertThat(h.at.send("ATE0")).isEqualTo("ATE0\r\r\nOK\r\n");
      assertThat(h.at.send("AT")).isEqualTo("\r\nOK\r\n");
      assertThat(h.at.send("ATE1")).isEqualTo("\r\nOK\r\n");
      assertThat(h.at.send("AT")).isEqualTo("AT\r\r\nOK\r\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void answersTheBringUpSequence(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      AtClient at = h.at;
      assertThat(at.send("AT+CMEE=2")).isEqualTo("\r\nOK\r\n");
      assertThat(at.send("AT+CMEE?")).isEqualTo("\r\n+CMEE: 2\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CPIN?")).isEqualTo("\r\n+CPIN: READY\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CSQ")).isEqualTo("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
      h.sim.setRssi(31);
      assertThat(at.send("AT+CSQ")).contains("+CSQ: 31,99");
      assertThat(at.send("AT+CREG?")).isEqualTo("\r\n+CREG: 0,1\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CGREG?")).isEqualTo("\r\n+CGREG: 0,1\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CEREG?")).isEqualTo("\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CEREG=2")).endsWith("OK\r\n");
      assertThat(at.send("AT+CEREG?")).contains("+CEREG: 2,1,\"1A2B\",\"01A2B3C4\",7\r\n");
      assertThat(at.send("AT+COPS?"))
          .isEqualTo("\r\n+COPS: 0,0,\"Twinpath Mobile\",7\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CGDCONT=1,\"IP\",\"internet.example\"")).endsWith("\r\nOK\r\n");
      assertThat(at.send("AT+CGDCONT?")).contains("+CGDCONT: 1,\"IP\",\"internet.example\"");
      assertThat(at.send("AT+CIMI")).isEqualTo("\r\n001010123456789\r\n\r\nOK\r\n");
      assertThat(at.send("AT+CGSN")).contains("869951030000017");
      assertThat(at.send("AT+CGMI"))
          .contains(dialect == Dialect.SIM7600 ? "SIMCOM INCORPORATED" : "Quectel");
      assertThat(at.send("AT+CFUN?")).contains("+CFUN: 1");
      assertThat(at.send("AT+CGATT?")).contains("+CGATT: 1");
      assertThat(at.send("AT+NOSUCH")).isEqualTo("\r\nERROR\r\n");
      // several commands on one line
      assertThat(at.send("AT+CMEE=1;+CREG=1")).isEqualTo("\r\nOK\r\n");
      assertThat(at.send("AT+CREG?")).contains("+CREG: 1,1");
      if (dialect == Dialect.SIM7600) {
        assertThat(at.send("AT+CGAUTH=1,1,\"secret\",\"user\"")).endsWith("\r\nOK\r\n");
        assertThat(at.send("AT+CICCID")).contains("+ICCID: 8988211000000000017");
        assertThat(at.send("AT+CSOCKSETPN=1")).endsWith("\r\nOK\r\n");
      } else {
        assertThat(at.send("AT+QICSGP=1,1,\"internet.example\",\"\",\"\",0"))
            .isEqualTo("\r\nOK\r\n");
        assertThat(at.send("AT+QICSGP=1")).contains("\"internet.example\"");
        assertThat(at.send("AT+QCCID")).contains("+QCCID: 8988211000000000017");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void toleratesCommandsArrivingByteByByte(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      h.at.writeByteByByte("AT+CSQ\r");
      assertThat(h.at.expect(AtClient.FINAL)).isEqualTo("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
      // LF after CR, a backspace-corrected typo, and a lower-case command
      h.at.write("at+cpiX\bn?\r\n");
      assertThat(h.at.expect(AtClient.FINAL)).isEqualTo("\r\n+CPIN: READY\r\n\r\nOK\r\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void cmeeModesChangeTheErrorForm(Dialect dialect) throws Exception {
    SimConfig config = SimConfig.builder(dialect).simInserted(false).build();
    try (SimHarness h = SimHarness.ready(config)) {
      assertThat(h.at.send("AT+CIMI")).isEqualTo("\r\nERROR\r\n");
      h.at.send("AT+CMEE=1");
      assertThat(h.at.send("AT+CIMI")).isEqualTo("\r\n+CME ERROR: 10\r\n");
      h.at.send("AT+CMEE=2");
      assertThat(h.at.send("AT+CIMI")).isEqualTo("\r\n+CME ERROR: SIM not inserted\r\n");
      h.at.send("AT+CMEE=0");
      assertThat(h.at.send("AT+CPIN?")).isEqualTo("\r\n+CPIN: NOT INSERTED\r\n\r\nOK\r\n");
      assertThat(h.at.send("AT+CREG?")).contains("+CREG: 0,0");
      assertThat(h.at.send("AT+COPS?")).isEqualTo("\r\n+COPS: 0\r\n\r\nOK\r\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void simPinUnlocksAndWrongPinIsRefused(Dialect dialect) throws Exception {
    SimConfig config = SimConfig.builder(dialect).pin("4321").build();
    try (SimHarness h = SimHarness.start(config)) {
      if (dialect == Dialect.SIM7600) {
        h.at.expectText("+CPIN: SIM PIN\r\n");
      }
      h.at.send("ATE0");
      h.at.skipAll();
      h.at.send("AT+CMEE=2");
      assertThat(h.at.send("AT+CPIN?")).isEqualTo("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
      assertThat(h.at.send("AT+CREG?")).contains("+CREG: 0,0");
      assertThat(h.at.send("AT+CPIN=\"1111\"")).isEqualTo("\r\n+CME ERROR: incorrect password\r\n");
      h.at.send("AT+CMEE=1");
      assertThat(h.at.send("AT+CPIN=\"2222\"")).isEqualTo("\r\n+CME ERROR: 16\r\n");
      assertThat(h.at.send("AT+CIMI")).isEqualTo("\r\n+CME ERROR: 11\r\n");
      assertThat(h.at.send("AT+CPIN=\"4321\"")).isEqualTo("\r\nOK\r\n");
      assertThat(h.at.send("AT+CPIN?")).contains("+CPIN: READY");
      assertThat(h.at.send("AT+CREG?")).contains("+CREG: 0,1");
      assertThat(h.sim.simState()).isEqualTo(SimCardState.READY);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void threeWrongPinsNeedThePuk(Dialect dialect) throws Exception {
    SimConfig config = SimConfig.builder(dialect).pin("4321").build();
    try (SimHarness h = SimHarness.ready(config)) {
      h.at.send("AT+CMEE=1");
      for (int i = 0; i < 3; i++) {
        assertThat(h.at.send("AT+CPIN=\"0000\"")).contains("+CME ERROR: 16");
      }
      assertThat(h.at.send("AT+CPIN?")).contains("+CPIN: SIM PUK");
      assertThat(h.at.send("AT+CPIN=\"12345678\",\"4321\"")).isEqualTo("\r\nOK\r\n");
      assertThat(h.at.send("AT+CPIN?")).contains("+CPIN: READY");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void registrationChangesArriveAsUrcs(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      h.at.send("AT+CREG=1");
      h.at.send("AT+CEREG=2");
      h.sim.loseRegistration();
      assertThat(h.at.expectText("+CEREG: 0\r\n")).contains("\r\n+CREG: 0\r\n");
      assertThat(h.at.send("AT+CGREG?")).contains("+CGREG: 0,0");
      h.sim.setRegistration(RegistrationState.ROAMING);
      assertThat(h.at.expectText("+CEREG: 5,\"1A2B\",\"01A2B3C4\",7\r\n"))
          .contains("\r\n+CREG: 5\r\n");
      assertThat(h.at.send("AT+COPS?")).contains("+COPS: 0,0,\"Twinpath Mobile\",7");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void answersSlowlyWhenAskedTo(Dialect dialect) throws Exception {
    try (SimHarness h = SimHarness.ready(dialect)) {
      h.sim.setReplyDelay(Duration.ofMillis(300));
      long t0 = System.nanoTime();
      assertThat(h.at.send("AT")).isEqualTo("\r\nOK\r\n");
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      h.sim.setReplyDelay(Duration.ZERO);
    }
  }
}
