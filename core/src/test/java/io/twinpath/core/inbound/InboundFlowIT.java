package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.maildir.Maildir;
import io.twinpath.testing.MosquittoExtension;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbound path end to end: real GreenMail IMAP and POP3 servers, a real Mosquitto, signed
 * commands, two devices. The secondary fetches while the host is offline; the host comes back and
 * ends up with every message exactly once in its Maildir.
 */
class InboundFlowIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @RegisterExtension
  static GreenMailExtension mail =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_POP3_IMAP))
          .withPerMethodLifecycle(true);

  @TempDir Path dir;
  private final List<TestDevice> devices = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (TestDevice d : devices) {
      d.close();
    }
  }

  private TestDevice device(String name, boolean host) throws Exception {
    TestDevice d = new TestDevice(name, dir.resolve(name), host, 50L * 1024 * 1024);
    devices.add(d);
    return d;
  }

  private static byte[] message(int i, boolean withMessageId, int bodyBytes) {
    StringBuilder sb = new StringBuilder();
    sb.append("From: Alice <alice@example.org>\r\n");
    sb.append("To: bob@example.org\r\n");
    sb.append("Subject: Inbound ").append(i).append("\r\n");
    if (withMessageId) {
      sb.append("Message-ID: <in-").append(i).append("@Example.ORG>\r\n");
    }
    sb.append("Date: Thu, 26 Nov 2026 11:00:00 +0000\r\n\r\n");
    sb.append("Body of message ").append(i).append("\r\n");
    for (int k = 0; sb.length() < bodyBytes; k++) {
      sb.append("line ").append(k).append(" of message ").append(i).append(" padding\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void deliverToServer(GreenMailUser user, byte[] raw) throws Exception {
    user.deliver(
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
  }

  private FetchSettings settings(FetchSettings.Protocol protocol, boolean delete) {
    int port =
        protocol == FetchSettings.Protocol.IMAP
            ? mail.getImap().getServerSetup().getPort()
            : mail.getPop3().getServerSetup().getPort();
    return FetchSettings.builder()
        .protocol(protocol)
        .host("127.0.0.1")
        .port(port)
        .username("bob")
        .password("secret"::toCharArray)
        .deleteAfterDownload(delete)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10))
        .writeTimeout(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .build();
  }

  /** Subject line → how many files in the Maildir carry it. */
  private static Map<String, Integer> subjects(Maildir md) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    Pattern p = Pattern.compile("^Subject: (.*)$", Pattern.MULTILINE);
    for (Path f : md.list()) {
      Matcher m = p.matcher(Files.readString(f, StandardCharsets.US_ASCII));
      assertThat(m.find()).as("a subject in %s", f).isTrue();
      out.merge(m.group(1), 1, Integer::sum);
    }
    return out;
  }

  @Test
  void imapSecondaryFetchesWhileTheHostIsOfflineAndTheHostGetsEachMessageOnce() throws Exception {
    GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
    TestDevice host = device("laptop", true);
    TestDevice dongle = device("dongle", false);
    host.pairWith(dongle);
    dongle.goOnline(mqtt.url());

    for (int i = 1; i <= 5; i++) {
      deliverToServer(user, message(i, i != 3, 2_000)); // message 3 has no Message-ID
    }
    // the policy lets the secondary fetch because the host is not online
    AtomicBoolean hostAvailable = new AtomicBoolean(false);
    MailFetcher dongleFetcher =
        new MailFetcher(settings(FetchSettings.Protocol.IMAP, false), dongle.sink);
    List<MailFetcher.Report> reports = new ArrayList<>();
    try (MailFetcher.Watch w =
        dongleFetcher.watch(
            FetchPolicy.WHILE_HOST_UNAVAILABLE.gate(hostAvailable::get), reports::add)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> dongle.store.held().size() == 5);
      // IDLE: a message that arrives while the secondary waits is taken at once
      await().atMost(Duration.ofSeconds(10)).until(w::idling);
      deliverToServer(user, message(6, true, 2_000));
      await().atMost(Duration.ofSeconds(20)).until(() -> dongle.store.held().size() == 6);
      hostAvailable.set(true);
    }
    assertThat(dongle.store.ids().size()).isEqualTo(6);

    // one more message arrives that only the host will fetch itself
    deliverToServer(user, message(7, true, 2_000));

    host.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> host.connected() && dongle.connected());
    // the host fetches over its own path (IMAP keeps everything: 1-7) and reconciles
    MailFetcher hostFetcher =
        new MailFetcher(settings(FetchSettings.Protocol.IMAP, false), host.sink);
    MailFetcher.Report own = hostFetcher.fetchOnce();
    assertThat(own.stored()).isEqualTo(7);
    ReconcileResult r = host.sync().reconcileWith(dongle.id).get();
    assertThat(r.succeeded()).isTrue();
    // the host has everything already; the dongle learns of message 7
    assertThat(r.missingHere()).isEmpty();
    assertThat(r.missingThere()).hasSize(1);
    // the secondary announces what it holds; the host confirms; the copies are freed
    dongle.sync().announceHeld(host.id);
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.held().isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.ids().size() == 7);

    Maildir md = host.maildir;
    assertThat(md).isNotNull();
    Map<String, Integer> s = subjects(md);
    assertThat(s).hasSize(7).allSatisfy((subject, n) -> assertThat(n).isEqualTo(1));
    assertThat(host.rejected.get() + dongle.rejected.get()).isZero();
  }

  @Test
  void pop3DeleteAfterDownloadLosesNothingAndTheHostReceivesEveryMessageOnce() throws Exception {
    GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
    TestDevice host = device("laptop", true);
    TestDevice dongle = device("dongle", false);
    host.pairWith(dongle);
    dongle.goOnline(mqtt.url());

    List<byte[]> sent = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      // message 2 has no Message-ID; message 5 is large (three transfer windows)
      byte[] m = message(i, i != 2, i == 5 ? 700_000 : 3_000);
      sent.add(m);
      deliverToServer(user, m);
    }
    MailFetcher dongleFetcher =
        new MailFetcher(settings(FetchSettings.Protocol.POP3, true), dongle.sink);
    MailFetcher.Report rep = dongleFetcher.fetchOnce();
    assertThat(rep.stored()).isEqualTo(6);
    assertThat(rep.deleted()).isEqualTo(6);
    // the server is empty now: the secondary holds the only copies
    assertThat(mail.getReceivedMessages()).isEmpty();
    assertThat(dongle.store.held()).hasSize(6);
    // a second fetch finds nothing and deletes nothing
    assertThat(dongleFetcher.fetchOnce().seen()).isZero();

    host.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> host.connected() && dongle.connected());
    ReconcileResult r = host.sync().reconcileWith(dongle.id).get();
    assertThat(r.missingHere()).hasSize(6);
    assertThat(r.missingThere()).isEmpty();

    Maildir md = host.maildir;
    assertThat(md).isNotNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> md.list().size() == 6);
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.held().isEmpty());
    assertThat(host.sync().pendingTransfers()).isZero();
    Map<String, Integer> s = subjects(md);
    assertThat(s).hasSize(6).allSatisfy((subject, n) -> assertThat(n).isEqualTo(1));
    // the bytes arrived intact (the Maildir stores LF line endings)
    for (byte[] m : sent) {
      String lf = new String(m, StandardCharsets.US_ASCII).replace("\r\n", "\n");
      String subject = lf.lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElseThrow();
      boolean found = false;
      for (Path f : md.list()) {
        String content = Files.readString(f, StandardCharsets.US_ASCII);
        if (content.contains(subject + "\n")) {
          assertThat(content).endsWith(lf.substring(lf.indexOf("\n\n")));
          found = true;
        }
      }
      assertThat(found).as(subject).isTrue();
    }
    // a later reconciliation finds nothing to do, in one round trip
    ReconcileResult again = host.sync().reconcileWith(dongle.id).get();
    assertThat(again.status()).isEqualTo(ReconcileResult.Status.IN_SYNC);
    assertThat(again.roundTrips()).isEqualTo(1);
  }

  @Test
  void pop3WithoutDeleteLeavesMailOnTheServerAndTakesItOnce() throws Exception {
    GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
    TestDevice dongle = device("dongle", false);
    for (int i = 1; i <= 3; i++) {
      deliverToServer(user, message(i, true, 1_000));
    }
    MailFetcher f = new MailFetcher(settings(FetchSettings.Protocol.POP3, false), dongle.sink);
    MailFetcher.Report first = f.fetchOnce();
    assertThat(first.stored()).isEqualTo(3);
    assertThat(first.deleted()).isZero();
    MailFetcher.Report second = f.fetchOnce();
    assertThat(second.seen()).isEqualTo(3);
    assertThat(second.duplicates()).isEqualTo(3);
    assertThat(second.stored()).isZero();
    assertThat(mail.getReceivedMessages()).hasSize(3);
  }

  @Test
  void aFullBudgetLeavesTheRestOnThePop3ServerEvenWithDeleteAfterDownload() throws Exception {
    GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
    TestDevice dongle = new TestDevice("dongle", dir.resolve("small"), false, 5_000);
    devices.add(dongle);
    for (int i = 1; i <= 4; i++) {
      deliverToServer(user, message(i, true, 2_000));
    }
    MailFetcher f = new MailFetcher(settings(FetchSettings.Protocol.POP3, true), dongle.sink);
    MailFetcher.Report r = f.fetchOnce();
    assertThat(r.stored()).isEqualTo(2);
    assertThat(r.refused()).isEqualTo(2);
    assertThat(r.deleted()).isEqualTo(2);
    assertThat(mail.getReceivedMessages()).hasSize(2);
    // once the host confirmed and the copies are freed, the rest comes down
    for (InboundId id : dongle.store.held()) {
      dongle.store.release(id);
    }
    MailFetcher.Report rest = f.fetchOnce();
    assertThat(rest.stored()).isEqualTo(2);
    assertThat(mail.getReceivedMessages()).isEmpty();
    assertThat(dongle.store.ids().size()).isEqualTo(4);
  }

  @Test
  void anInterruptedTransferResumesFromWhatArrived() throws Exception {
    TestDevice host = device("laptop", true);
    TestDevice dongle = device("dongle", false);
    host.pairWith(dongle);
    byte[] big = message(9, true, 600_000);
    InboundId id = InboundId.forMessageId("<in-9@example.org>").orElseThrow();
    assertThat(dongle.sink.accept(id, big)).isEqualTo(InboundSink.Outcome.STORED);
    // the host had received the first 300,000 bytes before it went away
    host.store.appendPartial(id, 0, java.util.Arrays.copyOf(big, 300_000));

    dongle.goOnline(mqtt.url());
    host.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> host.connected() && dongle.connected());
    ReconcileResult r = host.sync().reconcileWith(dongle.id).get();
    assertThat(r.missingHere()).containsExactly(id);
    Maildir md = host.maildir;
    assertThat(md).isNotNull();
    await().atMost(Duration.ofSeconds(20)).until(() -> md.list().size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.held().isEmpty());
    assertThat(Files.readString(md.list().get(0), StandardCharsets.US_ASCII))
        .isEqualTo(new String(big, StandardCharsets.US_ASCII).replace("\r\n", "\n"));
    assertThat(host.store.partialLength(id)).isZero();
  }

  @Test
  void aDeviceThatIsNotPairedCannotMakeTheSecondaryDropItsCopies() throws Exception {
    TestDevice host = device("laptop", true);
    TestDevice dongle = device("dongle", false);
    TestDevice stranger = device("stranger", true);
    host.pairWith(dongle);
    stranger.peers.trust(dongle.id, dongle.keys.publicKeyBase64()); // one-sided: not trusted back
    InboundId id = InboundId.of(77);
    dongle.sink.accept(id, message(77, true, 500));
    dongle.goOnline(mqtt.url());
    stranger.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> stranger.connected() && dongle.connected());
    com.google.gson.JsonObject f = new com.google.gson.JsonObject();
    com.google.gson.JsonArray ids = new com.google.gson.JsonArray();
    ids.add(id.toString());
    f.add("ids", ids);
    io.twinpath.core.wire.MqttLink l = stranger.link;
    io.twinpath.core.wire.CommandCodec c = stranger.codec;
    assertThat(l).isNotNull();
    assertThat(c).isNotNull();
    l.publish(
            io.twinpath.core.wire.Topics.inbox(dongle.id),
            c.seal("inbound.have", dongle.id, f),
            false)
        .get();
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.rejected.get() == 1);
    assertThat(dongle.store.held()).containsExactly(id);
  }

  @Test
  void presenceAloneDrivesTheExchange() throws Exception {
    GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
    TestDevice host = device("laptop", true);
    TestDevice dongle = device("dongle", false);
    host.pairWith(dongle);
    for (int i = 1; i <= 4; i++) {
      deliverToServer(user, message(i, true, 1_500));
    }
    InboundSink observed = InboundSink.observed(dongle.sink, dongle.id, dongle.listener);
    new MailFetcher(settings(FetchSettings.Protocol.POP3, true), observed).fetchOnce();
    assertThat(dongle.events).hasSize(4).allMatch(e -> e.endsWith("from dongle"));

    dongle.goOnline(mqtt.url());
    host.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> host.connected() && dongle.connected());
    // what the engine's presence events do in the apps
    host.sync().onPeerPresence(dongle.id, true);
    dongle.sync().onPeerPresence(host.id, true);

    Maildir md = host.maildir;
    assertThat(md).isNotNull();
    await().atMost(Duration.ofSeconds(20)).until(() -> md.list().size() == 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.held().isEmpty());
    assertThat(host.events).contains("reconciled dongle 4 0");
    assertThat(host.events.stream().filter(e -> e.startsWith("stored ")))
        .hasSize(4)
        .allMatch(e -> e.endsWith("from dongle"));
  }

  @Test
  void aTransferCutByTheSecondaryGoingAwayResumesWhenItReturns() throws Exception {
    TestDevice host = device("laptop", true);
    TestDevice dongle = device("dongle", false);
    host.pairWith(dongle);
    byte[] big = message(11, true, 6_000_000);
    InboundId id = InboundId.forMessageId("<in-11@example.org>").orElseThrow();
    dongle.sink.accept(id, big);
    dongle.goOnline(mqtt.url());
    host.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> host.connected() && dongle.connected());
    host.sync().reconcileWith(dongle.id).get();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> host.store.partialLength(id) > 0);
    dongle.goOffline();
    host.sync().onPeerPresence(dongle.id, false);
    long cut = host.store.partialLength(id);
    assertThat(cut).isLessThan(big.length);

    dongle.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(dongle::connected);
    host.sync().onPeerPresence(dongle.id, true);
    Maildir md = host.maildir;
    assertThat(md).isNotNull();
    await().atMost(Duration.ofSeconds(60)).until(() -> md.list().size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.held().isEmpty());
    assertThat(Files.size(md.list().get(0)))
        .isEqualTo(new String(big, StandardCharsets.US_ASCII).replace("\r\n", "\n").length());
  }
}
