package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.MessagePreparer;
import io.twinpath.core.spool.Spool;
import io.twinpath.host.internal.HostDaemon;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.testing.HostFixture;
import io.twinpath.host.testing.SmtpScript;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each way into the queue costs per message, side by side in one run, against the spool's own
 * durable enqueue: the loopback SMTP listener, sendmail through a running daemon's control socket,
 * and sendmail opening the spool itself (no daemon). Every one fsyncs before it acknowledges.
 */
@Tag("benchmark")
class QueueingBenchmark {
  static final int N = 150;
  static final String BODY = ("0123456789abcdef".repeat(4) + "\r\n").repeat(60); // ~4 KiB

  static String message(int i) {
    return "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: bench "
        + i
        + "\r\n\r\n"
        + BODY;
  }

  @Test
  void queueingCostPerMessage(@TempDir Path home) throws Exception {
    Map<String, Double> ms = new LinkedHashMap<>();

    // 1. the spool alone
    try (Spool spool = Spool.open(home.resolve("raw-spool"))) {
      long t0 = System.nanoTime();
      for (int i = 0; i < N; i++) {
        spool.enqueue(
            Envelope.of("alice@example.org", List.of("bob@example.org")),
            MessagePreparer.prepare(
                new ByteArrayInputStream(message(i).getBytes(StandardCharsets.UTF_8)),
                Clock.systemUTC(),
                "example.org"),
            Instant.now().plusSeconds(3600),
            DeviceId.of("laptop"));
      }
      ms.put("spool enqueue (baseline)", (System.nanoTime() - t0) / 1e6 / N);
    }

    // 2. sendmail without a daemon: opens and closes the spool each time
    HostFixture cold = new HostFixture(home.resolve("cold"), "");
    long t1 = System.nanoTime();
    for (int i = 0; i < N; i++) {
      assertThat(cold.run(message(i), "sendmail", "-i", "bob@example.org").exit()).isZero();
    }
    ms.put("sendmail, no daemon", (System.nanoTime() - t1) / 1e6 / N);

    // 3 and 4: with a daemon (no broker reachable, no account: it only queues)
    HostFixture host =
        new HostFixture(home.resolve("daemon"), "broker tcp://127.0.0.1:1\nlisten 0\n");
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    try (HostDaemon daemon = HostDaemon.start(config, Clock.systemUTC())) {
      long t2 = System.nanoTime();
      for (int i = 0; i < N; i++) {
        assertThat(host.run(message(i), "sendmail", "-i", "bob@example.org").exit()).isZero();
      }
      ms.put("sendmail via the daemon's socket", (System.nanoTime() - t2) / 1e6 / N);

      long t3 = System.nanoTime();
      try (SmtpScript c = new SmtpScript(daemon.listenerPort())) {
        c.reply();
        c.command("EHLO bench");
        for (int i = 0; i < N; i++) {
          c.command("MAIL FROM:<alice@example.org>");
          c.command("RCPT TO:<bob@example.org>");
          c.command("DATA");
          c.raw(message(i) + ".\r\n");
          assertThat(c.reply()).startsWith("250 2.0.0");
        }
      }
      ms.put("SMTP listener (one session)", (System.nanoTime() - t3) / 1e6 / N);
    }

    double base = ms.values().iterator().next();
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-36s %10s %8s%n",
        "way into the queue (" + N + " x 4 KiB)",
        "ms/msg",
        "ratio");
    for (Map.Entry<String, Double> e : ms.entrySet()) {
      System.out.printf(
          Locale.ROOT, "%-36s %10.2f %8.2f%n", e.getKey(), e.getValue(), e.getValue() / base);
    }
  }
}
