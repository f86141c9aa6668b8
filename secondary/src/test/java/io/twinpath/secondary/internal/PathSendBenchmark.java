package io.twinpath.secondary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SendResult;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolOptions;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.modem.ModemHealth;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.secondary.SecondarySettings;
import io.twinpath.testing.PtyPair;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one message costs the secondary over the simulated modem against the same send over the
 * direct interface path (bound to a local address), side by side in one run: the same SMTP account,
 * the same server (GreenMail), the same message bytes; the modem path is the one the secondary
 * builds (its socket factory follows the current driver). Median time per send, the ratio to the
 * direct path, and serial-line bytes per message byte. Over a simulated radio link (40 ms one way,
 * 2 Mbit/s) the round trips of the SMTP dialogue dominate, as they would on a real network.
 */
@Tag("benchmark")
class PathSendBenchmark {
  private static final int SMALL = 4 * 1024;
  private static final int LARGE = 256 * 1024;

  @TempDir Path dir;

  private record Row(String path, String size, double medianMs, double serialPerByte) {}

  @Test
  void oneMessageOverTheModemAgainstTheDirectPath() throws Exception {
    GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    try (Spool spool =
        Spool.open(dir.resolve("spool"), SpoolOptions.builder().maxBytes(64L << 20).build())) {
      OutboundItem small = item(spool, "small", SMALL);
      OutboundItem large = item(spool, "large", LARGE);
      int port = mail.getSmtp().getPort();
      List<Row> rows = new ArrayList<>();

      SmtpSender direct =
          SmtpSender.create(account(port).localAddress(InetAddress.getLoopbackAddress()).build());
      rows.add(new Row("interface (direct)", "4 KiB", median(direct, spool, small, 20), 0));
      rows.add(new Row("interface (direct)", "256 KiB", median(direct, spool, large, 5), 0));

      for (Dialect d : new Dialect[] {Dialect.SIM7600, Dialect.EC25}) {
        for (boolean radio : new boolean[] {false, true}) {
          SimConfig.Builder sc = SimConfig.builder(d);
          if (radio) {
            sc.linkLatency(Duration.ofMillis(40)).linkBitsPerSecond(2_000_000);
          }
          try (PtyPair pty = PtyPair.open();
              ModemSimulator sim = ModemSimulator.attach(pty.b().toString(), sc.build());
              ModemPath modem =
                  ModemPath.start(
                      SecondarySettings.Modem.builder(
                              SerialSettings.of(pty.a().toString()),
                              d == Dialect.EC25 ? ModemDialect.EC25 : ModemDialect.SIM7600,
                              ModemConfig.builder().apn("internet").build())
                          .poll(Duration.ofMinutes(10))
                          .build(),
                      TwinpathListener.NONE,
                      () -> {},
                      Clock.systemUTC())) {
            await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () -> {
                      ModemHealth h = modem.health();
                      return h != null && h.dataContextUp();
                    });
            SmtpSender over =
                SmtpSender.create(account(port).socketFactory(modem.socketFactory()).build());
            String name = d + (radio ? " 40ms 2Mbit/s" : " modem");
            for (Object[] v : new Object[][] {{small, "4 KiB", 10}, {large, "256 KiB", 3}}) {
              OutboundItem item = (OutboundItem) v[0];
              sim.resetCounters();
              double ms = median(over, spool, item, (Integer) v[2]);
              // every send counts, the warm-up one too
              double serial = (double) sim.serialBytesIn() / (((Integer) v[2] + 1) * item.size());
              rows.add(new Row(name, (String) v[1], ms, serial));
            }
          }
        }
      }
      print(rows);
      assertThat(mail.getReceivedMessages()).hasSizeGreaterThanOrEqualTo(25);
    } finally {
      mail.stop();
    }
  }

  private static SmtpSettings.Builder account(int port) {
    return SmtpSettings.builder()
        .host("127.0.0.1")
        .port(port)
        .tls(SmtpSettings.TlsMode.NONE)
        .ehloName("dongle")
        .readTimeout(Duration.ofSeconds(60))
        .connectTimeout(Duration.ofSeconds(30));
  }

  private static OutboundItem item(Spool spool, String name, int size) throws Exception {
    StringBuilder b =
        new StringBuilder(
            "From: ana@example.org\r\nTo: bo@example.net\r\nSubject: "
                + name
                + "\r\nMessage-ID: <"
                + name
                + "@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n");
    while (b.length() < size) {
      b.append("The quick brown fox jumps over the lazy dog, line after line of it.\r\n");
    }
    byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
    return spool.enqueue(
        Envelope.of("ana@example.org", List.of("bo@example.net")),
        new ByteArrayInputStream(bytes),
        Instant.now().plus(Duration.ofDays(1)),
        DeviceId.of("laptop"));
  }

  /** Median milliseconds of {@code n} sends (after one warm-up send). */
  private static double median(SmtpSender sender, Spool spool, OutboundItem item, int n)
      throws Exception {
    send(sender, spool, item);
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      send(sender, spool, item);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[n / 2];
  }

  private static void send(SmtpSender sender, Spool spool, OutboundItem item) throws Exception {
    SendResult r;
    try (InputStream in = spool.openMessage(item.id())) {
      r = sender.send(item, in, Set.of());
    }
    assertThat(r.outcome()).as(r.toString()).isEqualTo(SendResult.Outcome.DELIVERED);
  }

  private static void print(List<Row> rows) {
    System.out.printf("%none message sent by the secondary: modem path vs direct interface path%n");
    System.out.printf(
        "%-22s %8s %12s %14s %16s%n",
        "path", "message", "median ms", "ratio to direct", "serial/byte");
    for (Row r : rows) {
      double base =
          rows.stream()
              .filter(x -> x.path().startsWith("interface") && x.size().equals(r.size()))
              .findFirst()
              .orElseThrow()
              .medianMs();
      System.out.printf(
          "%-22s %8s %12.1f %14.1f %16s%n",
          r.path(),
          r.size(),
          r.medianMs(),
          r.medianMs() / base,
          r.serialPerByte() == 0 ? "-" : String.format("%.3f", r.serialPerByte()));
    }
  }
}
