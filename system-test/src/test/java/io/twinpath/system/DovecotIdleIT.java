package io.twinpath.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.inbound.InboundId;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.core.inbound.MailFetcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IMAP IDLE fetch loop against a real Dovecot (the lab's, over the cellular route): mail
 * delivered into the mailbox while the fetcher waits is taken at once, also when it lands between a
 * fetch and the next IDLE; IDLE is re-issued on the same connection, and a poke fetches without
 * reconnecting.
 */
class DovecotIdleIT {
  private static MailLab lab;
  private static int counter;

  @TempDir Path dir;

  @BeforeAll
  static void up() {
    lab = MailLab.up();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  /** Delivers like Postfix's virtual agent: into tmp/, then renamed into new/. */
  private static InboundId deliver(String subject) throws IOException {
    int n = ++counter;
    Path box = lab.directory().resolve("mail").resolve(lab.get("MAIL_DOMAIN")).resolve("alice");
    Files.createDirectories(box.resolve("tmp"));
    Files.createDirectories(box.resolve("new"));
    Files.createDirectories(box.resolve("cur"));
    String id = "<idle-it-" + n + "-" + System.nanoTime() + "@twinpath.test>";
    String raw =
        "From: bob@twinpath.test\r\nTo: alice@twinpath.test\r\nSubject: "
            + subject
            + "\r\nMessage-ID: "
            + id
            + "\r\n\r\nbody\r\n";
    String name =
        System.currentTimeMillis() / 1000
            + ".idle"
            + n
            + "_"
            + ProcessHandle.current().pid()
            + ".lab";
    Path tmp = box.resolve("tmp").resolve(name);
    Files.writeString(tmp, raw, StandardCharsets.US_ASCII);
    Files.move(tmp, box.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
    return InboundId.forMessageId(id).orElseThrow();
  }

  private FetchSettings settings() {
    return FetchSettings.builder()
        .protocol(FetchSettings.Protocol.IMAP)
        .host(lab.mailFromCell())
        .port(143)
        .username("alice@" + lab.get("MAIL_DOMAIN"))
        .password("secret"::toCharArray)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10))
        .idleRefresh(Duration.ofMillis(500))
        .pollInterval(Duration.ofMinutes(10))
        .build();
  }

  @Test
  void dovecotAnnouncementsAreTakenAtOnceAndNothingWaitsForTheNextOne() throws Exception {
    InboundStore store = InboundStore.open(dir, 10_000_000);
    List<MailFetcher.Report> reports = new CopyOnWriteArrayList<>();
    AtomicBoolean first = new AtomicBoolean(true);
    InboundId[] between = new InboundId[1];
    MailFetcher f = new MailFetcher(settings(), InboundSink.holding(store));
    try (MailFetcher.Watch w =
        f.watch(
            () -> true,
            r -> {
              reports.add(r);
              if (first.getAndSet(false)) {
                try {
                  between[0] = deliver("between a fetch and IDLE");
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            })) {
      // delivered after the first fetch looked and before IDLE was sent
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> between[0] != null && store.knows(between[0]));
      await().atMost(Duration.ofSeconds(10)).until(w::idling);

      long t0 = System.nanoTime();
      InboundId whileIdle = deliver("while idling");
      await().atMost(Duration.ofSeconds(15)).until(() -> store.knows(whileIdle));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("Dovecot IDLE: delivered to fetched in " + ms + " ms");

      // IDLE is re-issued every 500 ms on the same connection
      int idles = w.idleCommands();
      await().atMost(Duration.ofSeconds(15)).until(() -> w.idleCommands() >= idles + 3);

      int before = reports.size();
      w.poke();
      await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() > before && w.idling());
      InboundId afterPoke = deliver("after a poke");
      await().atMost(Duration.ofSeconds(15)).until(() -> store.knows(afterPoke));
      assertThat(w.connections()).isEqualTo(1);
    } finally {
      store.close();
    }
  }
}
