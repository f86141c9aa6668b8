package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IMAP IDLE loop against a real GreenMail IMAP server, directly and through a fault-injecting
 * proxy: nothing that arrives waits for a later event, a poke never breaks the session, IDLE is
 * re-issued, lost or silently dead connections are replaced, and a new UIDVALIDITY re-delivers
 * nothing.
 */
class MailFetcherIdleIT {
  @RegisterExtension
  static GreenMailExtension mail =
      new GreenMailExtension(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.IMAP}))
          .withPerMethodLifecycle(true);

  @TempDir Path dir;
  private GreenMailUser user;
  private InboundStore store;
  private FaultProxy proxy;
  private final List<MailFetcher.Report> reports = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    user = mail.setUser("bob@example.org", "bob", "secret");
    store = InboundStore.open(dir, 10_000_000);
    proxy = FaultProxy.to("127.0.0.1", mail.getImap().getServerSetup().getPort());
  }

  @AfterEach
  void tearDown() throws Exception {
    proxy.close();
    store.close();
  }

  private FetchSettings.Builder settings(int port) {
    return FetchSettings.builder()
        .protocol(FetchSettings.Protocol.IMAP)
        .host("127.0.0.1")
        .port(port)
        .username("bob")
        .password("secret"::toCharArray)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(5))
        // a poll interval far beyond every wait below: only IDLE and retries can pass these tests
        .pollInterval(Duration.ofMinutes(10));
  }

  private FetchSettings direct() {
    return settings(mail.getImap().getServerSetup().getPort()).build();
  }

  private void deliver(int i) throws Exception {
    byte[] raw = message(i);
    user.deliver(
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
  }

  private boolean has(int i) {
    return store.knows(InboundId.forMessageId("<idle-" + i + "@example.org>").orElseThrow());
  }

  @Test
  void mailAnnouncedWhileIdleIsBeingEnteredIsFetchedWithoutWaitingForAnotherEvent()
      throws Exception {
    deliver(1);
    AtomicBoolean first = new AtomicBoolean(true);
    MailFetcher f = new MailFetcher(direct(), InboundSink.holding(store));
    try (MailFetcher.Watch w =
        f.watch(
            () -> true,
            r -> {
              reports.add(r);
              if (first.getAndSet(false)) {
                try {
                  deliver(2); // after the fetch looked, before the IDLE is sent
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
            })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> has(1) && has(2));
      await().atMost(Duration.ofSeconds(10)).until(w::idling);
      assertThat(w.connections()).isEqualTo(1);
    }
  }

  @Test
  void aPokeDuringIdleFetchesOnTheSameConnection() throws Exception {
    MailFetcher f = new MailFetcher(direct(), InboundSink.holding(store));
    try (MailFetcher.Watch w = f.watch(() -> true, reports::add)) {
      await().atMost(Duration.ofSeconds(10)).until(w::idling);
      int before = reports.size();
      w.poke();
      await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() > before && w.idling());
      // the session survived the poke: new mail is still announced and taken at once
      deliver(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> has(1));
      assertThat(w.connections()).isEqualTo(1);
    }
  }

  @Test
  void aPolicyThatSaysNoEndsTheSessionAndAPokeResumesIt() throws Exception {
    AtomicBoolean enabled = new AtomicBoolean(true);
    MailFetcher f = new MailFetcher(direct(), InboundSink.holding(store));
    try (MailFetcher.Watch w = f.watch(enabled::get, reports::add)) {
      await().atMost(Duration.ofSeconds(10)).until(w::idling);
      enabled.set(false);
      w.poke();
      await().atMost(Duration.ofSeconds(5)).until(() -> !w.idling());
      deliver(1);
      enabled.set(true);
      w.poke();
      await().atMost(Duration.ofSeconds(5)).until(() -> has(1));
      await().atMost(Duration.ofSeconds(5)).until(w::idling);
      assertThat(w.connections()).isEqualTo(2);
    }
  }

  @Test
  void idleIsIssuedAgainAfterTheRefreshIntervalOnTheSameConnection() throws Exception {
    FetchSettings s = settings(proxy.port()).idleRefresh(Duration.ofMillis(500)).build();
    MailFetcher f = new MailFetcher(s, InboundSink.holding(store));
    try (MailFetcher.Watch w = f.watch(() -> true, reports::add)) {
      await().atMost(Duration.ofSeconds(10)).until(w::idling);
      int sockets = proxy.connections(); // the store's and the folder's
      await().atMost(Duration.ofSeconds(15)).until(() -> w.idleCommands() >= 4);
      deliver(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> has(1));
      assertThat(w.connections()).isEqualTo(1);
      assertThat(proxy.connections()).isEqualTo(sockets);
    }
  }

  @Test
  void aResetConnectionIsReplacedAndMailThatArrivedMeanwhileIsTaken() throws Exception {
    MailFetcher f = new MailFetcher(settings(proxy.port()).build(), InboundSink.holding(store));
    try (MailFetcher.Watch w = f.watch(() -> true, reports::add)) {
      await().atMost(Duration.ofSeconds(10)).until(w::idling);
      proxy.set(Fault.refuse());
      proxy.resetAll();
      deliver(1);
      await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10)).until(() -> !w.idling());
      proxy.set(Fault.none());
      // retries back off from 1 s and stay far below the 10 minute poll interval
      await()
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(10))
          .until(() -> has(1) && w.idling());
      assertThat(w.connections()).isEqualTo(2);
    }
  }

  @Test
  void aConnectionThatDiesSilentlyIsNoticedAtTheNextRefresh() throws Exception {
    FetchSettings s =
        settings(proxy.port())
            .readTimeout(Duration.ofSeconds(2))
            .idleRefresh(Duration.ofSeconds(1))
            .build();
    MailFetcher f = new MailFetcher(s, InboundSink.holding(store));
    try (MailFetcher.Watch w = f.watch(() -> true, reports::add)) {
      await().atMost(Duration.ofSeconds(10)).until(w::idling);
      int sockets = proxy.connections();
      proxy.stallAll(); // no reset, no FIN: the server's announcement never arrives
      deliver(1);
      // the server's handler for the dropped connection fails on its own thread: not ours
      await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).until(() -> has(1));
      assertThat(proxy.connections()).isGreaterThan(sockets);
      assertThat(w.connections()).isEqualTo(2);
    }
  }

  @Test
  void aNewUidValidityTakesOnlyWhatIsNewAndDeliversNothingTwice() throws Exception {
    Properties p = new Properties();
    jakarta.mail.Store client = Session.getInstance(p).getStore("imap");
    client.connect("127.0.0.1", mail.getImap().getServerSetup().getPort(), "bob", "secret");
    byte[] noMessageId =
        "From: a@example.org\r\nTo: bob@example.org\r\nSubject: no id\r\n\r\nsame bytes\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    try {
      long first = recreateWork(client, List.of(message(1), noMessageId), -1);
      MailFetcher f =
          new MailFetcher(
              settings(mail.getImap().getServerSetup().getPort()).folder("Work").build(),
              InboundSink.holding(store));
      MailFetcher.Report r1 = f.fetchOnce();
      assertThat(r1.stored()).isEqualTo(2);
      assertThat(f.fetchOnce().seen()).isZero(); // same UIDVALIDITY: only UIDs above the last

      // the folder is made again (a server migration): new UIDVALIDITY, same messages and one new
      recreateWork(client, List.of(message(1), noMessageId, message(2)), first);
      MailFetcher.Report r2 = f.fetchOnce();
      assertThat(r2.seen()).isEqualTo(3);
      assertThat(r2.stored()).isEqualTo(1);
      assertThat(r2.duplicates()).isEqualTo(2);
      assertThat(store.held()).hasSize(3);
      assertThat(has(2)).isTrue();
    } finally {
      client.close();
    }
  }

  @Test
  void aRestartLooksOnlyAtNewUidsAndForgottenMailDoesNotComeBack() throws Exception {
    jakarta.mail.Store client = Session.getInstance(new Properties()).getStore("imap");
    client.connect("127.0.0.1", mail.getImap().getServerSetup().getPort(), "bob", "secret");
    InboundStoreTest.MutableClock clock =
        new InboundStoreTest.MutableClock(java.time.Instant.now());
    InboundStore st =
        InboundStore.open(dir.resolve("retained"), 1_000_000, InboundIdSet.create(), clock);
    FetchSettings work = settings(mail.getImap().getServerSetup().getPort()).folder("Work").build();
    try {
      // their Date is years ago: the server keeps it as their arrival time (APPEND)
      long v = recreateWork(client, List.of(dated(1), dated(2)), -1);
      assertThat(new MailFetcher(work, InboundSink.holding(st)).fetchOnce().stored()).isEqualTo(2);
      InboundId one = InboundId.forMessageId("<idle-1@example.org>").orElseThrow();
      InboundId two = InboundId.forMessageId("<idle-2@example.org>").orElseThrow();
      st.release(one); // the host confirmed them
      st.release(two);
      clock.advance(Duration.ofDays(60));
      assertThat(st.forget(st.knownBefore(clock.instant().minus(Duration.ofDays(30)))))
          .isEqualTo(2);

      // a restart: the new fetcher starts above the saved UID, the forgotten mail stays forgotten
      MailFetcher again = new MailFetcher(work, InboundSink.holding(st));
      assertThat(again.fetchOnce().seen()).isZero();
      assertThat(st.knows(one)).isFalse();

      // the folder made anew (new UIDVALIDITY): what arrived before the forgotten ids is not taken
      recreateWork(client, List.of(dated(1), dated(2), message(3)), v);
      MailFetcher.Report r = again.fetchOnce();
      assertThat(r.seen()).isEqualTo(3);
      assertThat(r.stored()).isEqualTo(1);
      assertThat(st.knows(one) || st.knows(two)).isFalse();
      assertThat(has(st, 3)).isTrue();
    } finally {
      client.close();
      st.close();
    }
  }

  private static boolean has(InboundStore s, int i) {
    return s.knows(InboundId.forMessageId("<idle-" + i + "@example.org>").orElseThrow());
  }

  private static byte[] dated(int i) {
    return ("Date: Mon, 6 Jan 2020 10:00:00 +0000\r\n"
            + new String(message(i), StandardCharsets.US_ASCII))
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] message(int i) {
    return ("From: a@example.org\r\nTo: bob@example.org\r\nSubject: n"
            + i
            + "\r\nMessage-ID: <idle-"
            + i
            + "@example.org>\r\n\r\nbody "
            + i
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Deletes and creates the folder Work with these messages; returns its UIDVALIDITY. */
  private static long recreateWork(jakarta.mail.Store client, List<byte[]> messages, long not)
      throws Exception {
    jakarta.mail.Folder work = client.getFolder("Work");
    if (work.exists()) {
      work.delete(true);
    }
    // GreenMail's UIDVALIDITY is the creation second: make sure it differs from the last one
    long since = not;
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> java.time.Instant.now().getEpochSecond() > since);
    work.create(jakarta.mail.Folder.HOLDS_MESSAGES);
    work.open(jakarta.mail.Folder.READ_WRITE);
    try {
      for (byte[] raw : messages) {
        work.appendMessages(
            new jakarta.mail.Message[] {
              new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw))
            });
      }
      long v = ((jakarta.mail.UIDFolder) work).getUIDValidity();
      assertThat(v).isNotEqualTo(not);
      return v;
    } finally {
      work.close(false);
    }
  }
}
