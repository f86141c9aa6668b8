package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.testing.PtyPair;
import io.twinpath.testing.SystemComponents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Gammu, an AT client from Debian that nobody here wrote, talks to the simulator over its pty for
 * the 3GPP 27.007/27.005 subset: identify, signal, registration, and sending SMS (it uses PDU mode,
 * concatenating long texts).
 */
class GammuInteropIT {
  @Test
  void gammuIdentifiesReadsSignalAndSendsSms() throws Exception {
    Dialect dialect = Dialect.SIM7600;
    Path gammu = SystemComponents.requireCommand("gammu", "gammu");
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim = ModemSimulator.attach(pty.b().toString(), SimConfig.of(dialect))) {
      Path rc = pty.directory().resolve("gammurc");
      Files.writeString(rc, "[gammu]\ndevice = " + pty.a() + "\nconnection = at\n");

      String identify = run(gammu, rc, "identify");
      assertThat(identify)
          .contains(dialect == Dialect.SIM7600 ? "SIMCOM INCORPORATED" : "Quectel")
          .contains("IMEI                 : 869951030000017")
          .contains("SIM IMSI             : 001010123456789");

      String monitor = run(gammu, rc, "monitor", "1");
      assertThat(monitor)
          .contains("Signal strength      : -73 dBm") // rssi 20: -113 + 2 * 20
          .contains("Network state        : home network")
          .contains("\"Twinpath Mobile\"");

      String text = "0123456789".repeat(40);
      String sent =
          run(gammu, rc, "sendsms", "TEXT", "+491701234567", "-len", "400", "-text", text);
      assertThat(sent).contains("Sending SMS 3/3");
      run(gammu, rc, "sendsms", "TEXT", "+491701234567", "-unicode", "-text", "Grüße €");

      List<SentSms> parts = sim.sentSms();
      assertThat(parts).hasSize(4);
      assertThat(parts).allMatch(SentSms::pduMode);
      assertThat(parts.subList(0, 3)).allMatch(p -> p.partCount() == 3);
      assertThat(parts.get(3).encoding()).isEqualTo("UCS2");
      assertThat(sim.sentTexts()).containsExactly(text, "Grüße €");
      assertThat(parts).allMatch(p -> p.number().equals("+491701234567"));
    }
  }

  private static String run(Path gammu, Path rc, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(gammu.toString(), "-c", rc.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("gammu " + String.join(" ", args) + " did not finish in 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("gammu %s exit status; output:%n%s", args[0], out).isZero();
    return out;
  }
}
