package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.core.inbound.InboundSync;
import io.twinpath.core.inbound.PeerChannel;
import io.twinpath.core.maildir.Maildir;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.wire.LinkSettings;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secondary started from its configuration fetches inbound mail from GreenMail IMAP while the
 * host is offline and holds it; when the host comes online (wired as the host app wires it: a
 * Maildir sink behind the engine's signed commands) its Maildir ends up with every message exactly
 * once, and the secondary frees its copies and stops fetching. Real Mosquitto.
 */
class InboundFetchIT {
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
            + (i == 3 ? "" : "\r\nMessage-ID: <in-" + i + "@example.org>")
            + "\r\nDate: Thu, 26 Nov 2026 11:00:00 +0000\r\n\r\nBody "
            + i
            + "\r\n";
    user.deliver(
        new MimeMessage(
            Session.getInstance(new Properties()),
            new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII))));
  }

  private static Map<String, Integer> subjects(Maildir md) throws java.io.IOException {
    Map<String, Integer> out = new HashMap<>();
    Pattern p = Pattern.compile("^Subject: (.*)$", Pattern.MULTILINE);
    for (Path f : md.list()) {
      Matcher m = p.matcher(Files.readString(f, StandardCharsets.US_ASCII));
      assertThat(m.find()).as("a subject in %s", f).isTrue();
      out.merge(m.group(1).strip(), 1, Integer::sum);
    }
    return out;
  }

  @Test
  void fetchesWhileTheHostIsOfflineAndTheHostGetsEveryMessageOnce() throws Exception {
    GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
    for (int i = 1; i <= 4; i++) {
      deliver(user, i); // message 3 has no Message-ID
    }
    Path pw = dir.resolve("imap.pw");
    Files.writeString(pw, "secret\n");
    Map<String, String> values = new HashMap<>();
    values.put("broker", mqtt.url());
    values.put("data.dir", dir.resolve("dongle").toString());
    values.put("peers", "laptop");
    values.put("path", "none");
    values.put("inbound.protocol", "imap");
    values.put("inbound.tls", "none");
    values.put("inbound.host", "127.0.0.1");
    values.put("inbound.port", Integer.toString(mail.getImap().getServerSetup().getPort()));
    values.put("inbound.username", "bob");
    values.put("inbound.password-file", pw.toString());
    values.put("inbound.poll", "10s");
    DongleConfig config = DongleConfig.fromMap(values, Map.of("HOME", dir.toString()));

    // the laptop as the host app wires it
    Path home = dir.resolve("laptop");
    Maildir maildir = Maildir.open(home.resolve("Maildir"));
    InboundStore hostStore = InboundStore.open(home.resolve("inbound"), 10L << 20);
    InboundSync[] hostSync = new InboundSync[1];
    Coordinator laptop =
        Coordinator.builder()
            .device(LAPTOP)
            .order(List.of(LAPTOP, DONGLE))
            .dataDir(home)
            .broker(
                LinkSettings.builder()
                    .brokerUrl(mqtt.url())
                    .device(LAPTOP)
                    .role("host")
                    .dataDir(home)
                    .build())
            .spool(Spool.open(home.resolve("spool")))
            .commandHandler(InboundSync.PREFIX, c -> hostSync[0].onCommand(c))
            .listener(
                new TwinpathListener() {
                  @Override
                  public void peerPresence(DeviceId peer, boolean online) {
                    hostSync[0].onPeerPresence(peer, online);
                  }
                })
            .build();
    hostSync[0] =
        new InboundSync(
            LAPTOP,
            InboundSink.maildir(hostStore, maildir),
            PeerChannel.coordinator(laptop),
            5_000);
    try (Secondary dongle = Secondary.start(config, Clock.systemUTC())) {
      laptop.pairing().trust(DONGLE, dongle.coordinator().keys().publicKeyBase64());
      dongle.coordinator().pairing().trust(LAPTOP, laptop.keys().publicKeyBase64());
      InboundStore held = dongle.inbound().store();
      // the laptop has never been online: the dongle fetches and holds, waiting in IDLE
      await().atMost(Duration.ofSeconds(30)).until(() -> held.held().size() == 4);
      await().atMost(Duration.ofSeconds(10)).until(dongle.inbound()::idling);
      deliver(user, 5);
      await().atMost(Duration.ofSeconds(30)).until(() -> held.held().size() == 5);
      assertThat(dongle.healthJson()).contains("\"inbound\"").contains("\"held\":5");

      laptop.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> subjects(maildir).size() == 5);
      await().atMost(Duration.ofSeconds(30)).until(() -> held.held().isEmpty());
      assertThat(subjects(maildir))
          .hasSize(5)
          .allSatisfy((subject, n) -> assertThat(n).isEqualTo(1));
      // the host is online: the policy stops the dongle's fetching
      await().atMost(Duration.ofSeconds(10)).until(() -> dongle.inbound().hostAvailable());
      assertThat(dongle.healthJson()).contains("\"fetching\":false").contains("\"held\":0");
      assertThat(held.ids().size()).isEqualTo(5);
      assertThat(hostStore.held()).isEmpty();
    } finally {
      laptop.close();
      hostSync[0].close();
      hostStore.close();
    }
  }
}
