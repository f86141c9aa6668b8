package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.RegistrationState;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.testing.PtyPair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code modem check} against the simulated modem on a real pty, one fault at a time. */
class ModemCheckIT {
  private static GreenMail mail;

  @BeforeAll
  static void mailServer() {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
  }

  @AfterAll
  static void stop() {
    mail.stop();
  }

  static Stream<Arguments> faults() {
    UnaryOperator<SimConfig.Builder> fine = b -> b;
    return Stream.of(
        Arguments.of(
            "sim7600",
            "all fine",
            fine,
            0,
            new String[] {
              "1. port          OK: ",
              "2. SIM           OK: the SIM is ready",
              "3. signal        OK: ",
              "4. registration  OK: registered",
              "5. data          OK: mobile data is up",
              "6. SMTP server   OK: 127.0.0.1:",
              "answered through the modem: 220",
              "Ready: this device can send mail over cellular."
            }),
        Arguments.of(
            "ec25",
            "all fine",
            fine,
            0,
            new String[] {"5. data          OK: mobile data is up", "6. SMTP server   OK: "}),
        Arguments.of(
            "sim7600",
            "no SIM",
            (UnaryOperator<SimConfig.Builder>) b -> b.simInserted(false),
            69,
            new String[] {
              "2. SIM           FAIL: no SIM card is in the modem",
              "What to do: power the modem off, insert the SIM",
              "3. signal        SKIPPED",
              "Not ready: the SIM step failed."
            }),
        Arguments.of(
            "sim7600",
            "PIN needed",
            (UnaryOperator<SimConfig.Builder>) b -> b.pin("1234"),
            69,
            new String[] {
              "2. SIM           FAIL: the SIM is locked with a PIN and none is configured",
              "What to do: set modem.pin"
            }),
        Arguments.of(
            "ec25",
            "no registration",
            (UnaryOperator<SimConfig.Builder>) b -> b.registration(RegistrationState.SEARCHING),
            69,
            new String[] {
              "4. registration  FAIL: ",
              "What to do: the SIM found no network",
              "5. data          SKIPPED"
            }),
        Arguments.of(
            "sim7600",
            "no data service",
            (UnaryOperator<SimConfig.Builder>) b -> b.dataService(false),
            69,
            new String[] {
              "4. registration  OK",
              "5. data          FAIL: ",
              "What to do: the network refused mobile data: check modem.apn"
            }));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("faults")
  void saysWhatIsWrongAndWhatToDo(
      String dialect,
      String name,
      UnaryOperator<SimConfig.Builder> fault,
      int exit,
      String[] expected)
      throws Exception {
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(
                pty.b().toString(),
                fault.apply(SimConfig.builder(Dialect.parse(dialect))).build())) {
      CommandLine cl = TwinpathDongle.commandLine();
      StringWriter out = new StringWriter();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(out, true));
      int code =
          cl.execute(
              "modem",
              "check",
              "--wait",
              "3s",
              "--set",
              "modem.port=" + pty.a(),
              "--set",
              "modem.dialect=" + dialect,
              "--set",
              "modem.apn=internet",
              "--set",
              "smtp.host=127.0.0.1",
              "--set",
              "smtp.port=" + mail.getSmtp().getPort(),
              "--set",
              "smtp.tls=none");
      assertThat(out.toString()).contains(expected);
      assertThat(sim.commandLog()).as("the check spoke to the modem").isNotEmpty();
      assertThat(code).as(out.toString()).isEqualTo(exit);
    }
  }
}
