package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.inbound.FetchPolicy;
import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.core.inbound.InboundSync;
import io.twinpath.core.inbound.MailFetcher;
import io.twinpath.core.inbound.PeerChannel;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.host.internal.HostDaemon;
import io.twinpath.host.internal.InboundWiring;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.testing.HostFixture;
import io.twinpath.testing.MosquittoExtension;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inbound mail reaches the laptop's Maildir: a dongle fetches from GreenMail IMAP while the laptop
 * is offline (its retained state says so), the laptop's daemon starts from its host.conf, and its
 * Maildir ends up with every message exactly once, while the dongle's copies are freed. With an
 * {@code inbound} mailbox configured the laptop fetches too, and a message both fetched is
 * delivered once. Real Mosquitto, signed commands, two engines.
 */
class InboundToMaildirIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @RegisterExtension
  static GreenMailExtension mail =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
          .withPerMethodLifecycle(true);

  @TempDir Path dir;

  private static final DeviceId LAPTOP = DeviceId.of("laptop");
  private static final DeviceId DONGLE = DeviceId.of("dongle");

  private static void deliver(GreenMailUser user, int i) throws Exception {
    String m =
        "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: Inbound "
            + i
            + "\r\nMessage-ID: <in-"
            + i
            + "@example.org>\r\nDate: Thu, 26 Nov 2026 11:00:00 +0000\r\n\r\nBody "
            + i
            + "\r\n";
    user.deliver(
        new MimeMessage(
            Session.getInstance(new Properties()),
            new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII))));
  }

  private static Map<String, Integer> subjects(Path maildir) throws java.io.IOException {
    Map<String, Integer> out = new HashMap<>();
    Pattern p = Pattern.compile("^Subject: (.*)$", Pattern.MULTILINE);
    Path fresh = maildir.resolve("new");
    if (!Files.isDirectory(fresh)) {
      return out;
    }
    try (var files = Files.list(fresh)) {
      for (Path f : files.toList()) {
        Matcher m = p.matcher(Files.readString(f, StandardCharsets.US_ASCII));
        assertThat(m.find()).as("a subject in %s", f).isTrue();
        out.merge(m.group(1).strip(), 1, Integer::sum);
      }
    }
    return out;
  }

  /** The dongle as its app wires it: holding sink, sync, fetch while the laptop is offline. */
  private static final class Dongle implements AutoCloseable {
    final InboundStore store;
    final Coordinator engine;
    final InboundSync sync;
    final MailFetcher.Watch watch;
    final AtomicBoolean laptopOnline = new AtomicBoolean();

    Dongle(Path home, int imapPort) throws Exception {
      store = InboundStore.open(home.resolve("inbound"), 10L << 20);
      InboundSink sink = InboundSink.holding(store);
      InboundSync[] s = new InboundSync[1];
      Dongle self = this;
      engine =
          Coordinator.builder()
              .device(DONGLE)
              .order(List.of(LAPTOP, DONGLE))
              .dataDir(home)
              .broker(
                  LinkSettings.builder()
                      .brokerUrl(mqtt.url())
                      .device(DONGLE)
                      .role("secondary")
                      .dataDir(home)
                      .build())
              .spool(Spool.open(home.resolve("spool")))
              .commandHandler(InboundSync.PREFIX, c -> s[0].onCommand(c))
              .listener(
                  new TwinpathListener() {
                    @Override
                    public void peerPresence(DeviceId peer, boolean online) {
                      if (peer.equals(LAPTOP)) {
                        self.laptopOnline.set(online);
                      }
                      s[0].onPeerPresence(peer, online);
                    }
                  })
              .build();
      sync = new InboundSync(DONGLE, sink, PeerChannel.coordinator(engine), 5_000);
      s[0] = sync;
      FetchSettings settings =
          FetchSettings.builder()
              .protocol(FetchSettings.Protocol.IMAP)
              .host("127.0.0.1")
              .port(imapPort)
              .username("bob")
              .password("secret"::toCharArray)
              .pollInterval(Duration.ofMillis(200))
              .build();
      watch =
          new MailFetcher(settings, sink)
              .watch(
                  FetchPolicy.WHILE_HOST_UNAVAILABLE.gate(laptopOnline::get),
                  r -> sync.onFetched(r, LAPTOP));
    }

    @Override
    public void close() throws java.io.IOException {
      watch.close();
      engine.close();
      sync.close();
      store.close();
    }
  }

  private HostConfig laptopConfig(String inbound) throws Exception {
    HostFixture fx =
        new HostFixture(
            dir.resolve("laptop"), "peers dongle\nbroker " + mqtt.url() + "\n" + inbound);
    return ConfigLoader.load(fx.configFile(), fx.dirs());
  }

  private void run(String laptopInbound, int hostOwnMessages) throws Exception {
    GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
    int imapPort = mail.getImap().getServerSetup().getPort();
    HostConfig config = laptopConfig(laptopInbound.replace("PORT", Integer.toString(imapPort)));
    for (int i = 1; i <= 4; i++) {
      deliver(user, i);
    }
    try (Dongle dongle = new Dongle(dir.resolve("dongle"), imapPort)) {
      // paired as 'twinpath-host pair' does, before the daemon starts
      Files.createDirectories(config.dataDir());
      PairingStore.open(config.dataDir().resolve("peers.json"))
          .trust(DONGLE, dongle.engine.keys().publicKeyBase64());
      dongle
          .engine
          .pairing()
          .trust(LAPTOP, DeviceKeys.loadOrCreate(config.dataDir(), LAPTOP).publicKeyBase64());
      dongle.engine.start();
      // the laptop is not online: the dongle fetches and holds everything
      await().atMost(Duration.ofSeconds(30)).until(() -> dongle.store.held().size() == 4);
      await().atMost(Duration.ofSeconds(10)).until(dongle.watch::idling);
      deliver(user, 5);
      await().atMost(Duration.ofSeconds(30)).until(() -> dongle.store.held().size() == 5);
      assertThat(subjects(config.maildir())).isEmpty();

      try (HostDaemon laptop = HostDaemon.start(config, Clock.systemUTC())) {
        InboundWiring wiring = laptop.inbound();
        await().atMost(Duration.ofSeconds(20)).until(dongle.laptopOnline::get);
        dongle.watch.poke(); // the policy now says no: the dongle stops fetching
        if (hostOwnMessages > 0) {
          await().atMost(Duration.ofSeconds(20)).until(wiring::idling);
        }
        for (int i = 6; i < 6 + hostOwnMessages; i++) {
          deliver(user, i);
        }
        int expected = 5 + hostOwnMessages;
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> subjects(config.maildir()).size() == expected);
        // the dongle's copies are confirmed and freed
        await().atMost(Duration.ofSeconds(30)).until(() -> dongle.store.held().isEmpty());
        Map<String, Integer> s = subjects(config.maildir());
        assertThat(s).hasSize(expected).allSatisfy((subject, n) -> assertThat(n).isEqualTo(1));
        assertThat(wiring.store().held()).isEmpty();
        assertThat(wiring.sync().pendingTransfers()).isZero();
      }
    }
  }

  @Test
  void mailTheDongleFetchedWhileTheLaptopWasOfflineReachesTheMaildirOnce() throws Exception {
    run("", 0);
  }

  @Test
  void whenTheLaptopFetchesTooEachMessageIsDeliveredOnce() throws Exception {
    run(
        "inbound imap\ninbound_host 127.0.0.1\ninbound_port PORT\ninbound_tls off\n"
            + "inbound_user bob\ninbound_password secret\n",
        1);
  }
}
