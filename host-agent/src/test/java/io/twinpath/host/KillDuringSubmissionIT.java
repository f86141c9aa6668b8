package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.Spool;
import io.twinpath.host.testing.HostFixture;
import io.twinpath.host.testing.SmtpScript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon, as a real child JVM, is killed with SIGKILL while clients are in the middle of
 * submissions: every message it acknowledged with 250 is in the spool afterwards, whole.
 */
class KillDuringSubmissionIT {
  static final Pattern QUEUED = Pattern.compile("^250 2\\.0\\.0 Ok: queued as ([0-9A-Z]{26})$");
  static final Pattern PORT = Pattern.compile("SMTP listener on 127\\.0\\.0\\.1:(\\d+)");

  /**
   * A log line of the listener: an ISO-8601 time with milliseconds and the UTC offset, the level,
   * the source, the sentence.
   */
  static final Pattern LOGGED_QUEUED =
      Pattern.compile(
          "(?m)^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})"
              + " INFO SmtpSession - queued [0-9A-Z]{26} from <alice@example.org>");

  static String message(int client, int n) {
    return "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: kill test "
        + client
        + "/"
        + n
        + "\r\nMessage-ID: <kill-"
        + client
        + "-"
        + n
        + "@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n"
        + ("line of the message " + client + "/" + n + " ").repeat(3).strip()
        + "\r\n".repeat(1)
        + ("0123456789abcdef".repeat(4) + "\r\n").repeat(200);
  }

  @Test
  void everyAcknowledgedMessageSurvivesKill9(@TempDir Path home) throws Exception {
    HostFixture host = new HostFixture(home, "broker tcp://127.0.0.1:1\nlisten 0\n");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TwinpathHost.class.getName(),
                "run",
                "--config",
                host.configFile().toString())
            .redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    Process daemon = pb.start();
    AtomicReference<String> port = new AtomicReference<>();
    StringBuilder log = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (log) {
                    log.append(line).append('\n');
                  }
                  Matcher m = PORT.matcher(line);
                  if (m.find()) {
                    port.set(m.group(1));
                  }
                }
              } catch (IOException e) {
                // the process died
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> port.get() != null || !daemon.isAlive());
      assertThat(port.get()).as("daemon output:\n%s", log).isNotNull();
      int p = Integer.parseInt(port.get());

      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      AtomicInteger acks = new AtomicInteger();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        Thread t =
            new Thread(
                () -> {
                  for (int n = 0; ; n++) {
                    String msg = message(client, n);
                    try (SmtpScript s = new SmtpScript(p)) {
                      s.reply();
                      s.command("EHLO client");
                      s.command("MAIL FROM:<alice@example.org>");
                      s.command("RCPT TO:<bob@example.org>");
                      if (!s.command("DATA").startsWith("354")) {
                        return;
                      }
                      // in two parts, so a kill can land in the middle of DATA too
                      int half = msg.length() / 2;
                      s.raw(msg.substring(0, half));
                      s.raw(msg.substring(half) + ".\r\n");
                      Matcher m = QUEUED.matcher(s.reply());
                      if (m.matches()) {
                        acknowledged.put(m.group(1), msg);
                        acks.incrementAndGet();
                      }
                    } catch (IOException e) {
                      return; // the daemon is gone
                    }
                  }
                });
        t.start();
        clients.add(t);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> acks.get() >= 25);
      daemon.destroyForcibly(); // SIGKILL, mid-traffic
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (Thread t : clients) {
        t.join(30_000);
      }
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(25);
      synchronized (log) {
        assertThat(log.toString()).as("log lines carry their time").containsPattern(LOGGED_QUEUED);
      }

      // every acknowledged message is in the spool, byte for byte; nothing is half there
      try (Spool spool = Spool.open(host.spoolDir())) {
        // writes cut by the kill are set aside at open; none of them was acknowledged
        for (var problem : spool.problems()) {
          assertThat(problem.reason()).contains("never acknowledged");
          assertThat(acknowledged.keySet()).noneMatch(id -> problem.name().contains(id));
        }
        List<String> ids = spool.list().stream().map(i -> i.id().toString()).toList();
        assertThat(ids).containsAll(acknowledged.keySet());
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          try (InputStream in = spool.openMessage(ItemId.parse(e.getKey()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(e.getValue());
          }
        }
        for (OutboundItem item : spool.list()) {
          try (InputStream in = spool.openMessage(item.id())) {
            assertThat(in.readAllBytes()).hasSize((int) item.size());
          }
        }
      }
    } finally {
      daemon.destroyForcibly();
    }
  }
}
