package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a message waits between arriving in the mailbox and reaching the fetcher's sink, with
 * IMAP IDLE and with polling, side by side against one GreenMail IMAP server. Each message arrives
 * at a random moment (so polling shows its average wait, not its best or worst case).
 */
@Tag("benchmark")
class FetchLatencyBenchmark {
  @RegisterExtension
  static GreenMailExtension mail =
      new GreenMailExtension(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.IMAP}));

  @TempDir Path dir;
  private final Map<InboundId, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
  private final Random random = new Random(7);
  private int counter;

  @Test
  void idleAgainstPolling() throws Exception {
    GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      double[] idle = run(user, timer, "idle", true, Duration.ofMillis(500), 20);
      double[] fast = run(user, timer, "poll", false, Duration.ofMillis(500), 20);
      double[] slow = run(user, timer, "poll", false, Duration.ofSeconds(2), 8);
      double base = p(idle, 50);
      System.out.println();
      System.out.println("mail appended -> in the fetcher's sink (GreenMail IMAP, loopback)");
      System.out.printf(
          "%-16s %8s %9s %9s %9s %14s%n",
          "mode", "samples", "p50 ms", "p90 ms", "max ms", "p50 ÷ idle");
      row("IDLE", idle, base);
      row("poll every 0.5 s", fast, base);
      row("poll every 2 s", slow, base);
      assertThat(p(idle, 50)).isLessThan(p(slow, 50));
    } finally {
      timer.shutdownNow();
    }
  }

  private static void row(String name, double[] ms, double base) {
    System.out.printf(
        "%-16s %8d %9.1f %9.1f %9.1f %14.1f%n",
        name, ms.length, p(ms, 50), p(ms, 90), p(ms, 100), p(ms, 50) / base);
  }

  private static double p(double[] sorted, int pct) {
    int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private double[] run(
      GreenMailUser user,
      ScheduledExecutorService timer,
      String name,
      boolean idle,
      Duration interval,
      int samples)
      throws Exception {
    InboundStore store = InboundStore.open(dir.resolve(name + "-" + interval.toMillis()), 1 << 30);
    InboundSink holding = InboundSink.holding(store);
    InboundSink timing =
        new InboundSink() {
          @Override
          public Outcome accept(InboundId id, byte[] raw) throws IOException {
            Outcome o = holding.accept(id, raw);
            CompletableFuture<Long> f = arrivals.get(id);
            if (f != null) {
              f.complete(System.nanoTime());
            }
            return o;
          }

          @Override
          public boolean wantsMissingMessages() {
            return false;
          }

          @Override
          public InboundStore store() {
            return store;
          }
        };
    FetchSettings s =
        FetchSettings.builder()
            .protocol(FetchSettings.Protocol.IMAP)
            .host("127.0.0.1")
            .port(mail.getImap().getServerSetup().getPort())
            .username("bob")
            .password("secret"::toCharArray)
            .idle(idle)
            .pollInterval(interval)
            .build();
    MailFetcher fetcher = new MailFetcher(s, timing);
    double[] out = new double[samples];
    CompletableFuture<Void> ready = new CompletableFuture<>();
    try (MailFetcher.Watch w = fetcher.watch(() -> true, r -> ready.complete(null))) {
      ready.get(30, TimeUnit.SECONDS); // the first fetch took what was there before
      for (int i = 0; i < samples; i++) {
        int n = ++counter;
        InboundId id = InboundId.forMessageId("<lat-" + n + "@example.org>").orElseThrow();
        CompletableFuture<Long> seen = new CompletableFuture<>();
        arrivals.put(id, seen);
        long delayMs = (long) (random.nextDouble() * interval.toMillis());
        CompletableFuture<Long> sent = new CompletableFuture<>();
        timer.schedule(
            () -> {
              try {
                long t = System.nanoTime();
                deliver(user, n);
                sent.complete(t);
              } catch (Exception e) {
                sent.completeExceptionally(e);
              }
            },
            delayMs,
            TimeUnit.MILLISECONDS);
        long at = seen.get(30, TimeUnit.SECONDS);
        out[i] = (at - sent.get(30, TimeUnit.SECONDS)) / 1e6;
      }
      assertThat(w.connections()).isGreaterThanOrEqualTo(1);
    } finally {
      store.close();
    }
    Arrays.sort(out);
    return out;
  }

  private static void deliver(GreenMailUser user, int n) throws Exception {
    byte[] raw =
        ("From: a@example.org\r\nTo: bob@example.org\r\nSubject: latency "
                + n
                + "\r\nMessage-ID: <lat-"
                + n
                + "@example.org>\r\n\r\nbody\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    user.deliver(
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
  }
}
