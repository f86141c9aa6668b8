package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.Spool;
import io.twinpath.host.internal.HostDaemon;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.testing.HostFixture;
import io.twinpath.testing.MosquittoExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The commands against a real spool, with and without a running daemon, and a real broker. */
class HostCommandsIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final String MESSAGE =
      "From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: Grüße\n\n.. two dots\nbody\n";

  private static byte[] queuedBytes(Spool spool, OutboundItem item) throws Exception {
    try (InputStream in = spool.openMessage(item.id())) {
      return in.readAllBytes();
    }
  }

  @Test
  void sendmailQueuesIntoTheSpoolWhenNoDaemonRuns(@TempDir Path home) throws Exception {
    HostFixture host = new HostFixture(home, "");
    HostFixture.Result r = host.run(MESSAGE, "sendmail", "-i", "bob@example.org");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    try (Spool spool = Spool.open(host.spoolDir())) {
      List<OutboundItem> items = spool.list();
      assertThat(items).hasSize(1);
      OutboundItem item = items.get(0);
      assertThat(item.envelope().mailFrom()).isEqualTo("alice@example.org");
      assertThat(item.envelope().recipients()).containsExactly("bob@example.org");
      String stored = new String(queuedBytes(spool, item), StandardCharsets.UTF_8);
      // the bytes are the input's, with CRLF, plus Date and Message-ID at the end of the header
      assertThat(stored)
          .startsWith(
              "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: Grüße\r\n")
          .matches(
              "(?s).*\r\nDate: [^\r\n]+\r\nMessage-ID: <[^>]+>\r\n\r\n\\.\\. two dots\r\nbody\r\n");
      assertThat(stored).contains(item.messageId());
    }
  }

  @Test
  void withTheDaemonRunningCommandsGoThroughItsControlSocket(@TempDir Path home) throws Exception {
    HostFixture host = new HostFixture(home, "broker " + mqtt.url() + "\nlisten 0\n");
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    try (HostDaemon daemon = HostDaemon.start(config, Clock.systemUTC())) {
      HostFixture.Result r = host.run(MESSAGE, "sendmail", "-t", "-v");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).startsWith("sendmail: queued ");
      assertThat(daemon.queue().ids()).hasSize(1);
      String id = daemon.queue().ids().get(0).getAsString();

      HostFixture.Result list = host.run("", "queue", "list");
      assertThat(list.exit()).isZero();
      assertThat(list.out()).contains(id).contains("<alice@example.org> -> bob@example.org");
      assertThat(host.run("", "sendmail", "-bp").out()).contains(id);

      HostFixture.Result status = host.run("", "status", "--json");
      assertThat(status.exit()).as(status.err()).isZero();
      JsonObject s = new Gson().fromJson(status.out(), JsonObject.class);
      assertThat(s.get("daemon").getAsBoolean()).isTrue();
      assertThat(s.get("listener").getAsString()).startsWith("127.0.0.1:");
      JsonArray queue = s.getAsJsonArray("queue");
      assertThat(queue).hasSize(1);
      assertThat(queue.get(0).getAsJsonObject().get("id").getAsString()).isEqualTo(id);
      assertThat(s.getAsJsonArray("paths").get(0).getAsJsonObject().get("device").getAsString())
          .isEqualTo("laptop");

      HostFixture.Result human = host.run("", "status");
      assertThat(human.out())
          .contains("twinpath-host laptop: daemon running")
          .contains("Queue: 1 item")
          .contains(id);

      // no account and no peer online: the engine keeps the turn and waits out the backoff
      await().atMost(Duration.ofSeconds(10)).until(() -> engineState(daemon, id, 1));
      HostFixture.Result retry = host.run("", "queue", "retry", id);
      assertThat(retry.exit()).as(retry.err()).isZero();
      assertThat(retry.out()).contains("attempted now");
      // the attempt ran at once instead of after the 30 s backoff, and failed again
      await().atMost(Duration.ofSeconds(10)).until(() -> engineState(daemon, id, 2));
      assertThat(host.run("", "queue", "retry", "nonsense").exit()).isEqualTo(64);

      HostFixture.Result dropped = host.run("", "queue", "drop", id);
      assertThat(dropped.exit()).as(dropped.err()).isZero();
      assertThat(dropped.out()).contains("cancelled");
      assertThat(daemon.queue().ids()).isEmpty();
      assertThat(host.run("", "queue", "drop", id).exit()).isEqualTo(65);
      host.run(MESSAGE, "sendmail", "-t");
      assertThat(daemon.queue().ids()).hasSize(1);
    }
    // with the daemon stopped, the command drops it from the spool itself
    HostFixture.Result drop = host.run("", "queue", "drop", daemonlessId(host));
    assertThat(drop.exit()).as(drop.err()).isZero();
    assertThat(drop.out()).contains("removed");
    assertThat(host.run("", "queue", "list").out()).contains("the queue is empty");
  }

  /** Whether the engine waits out a backoff for the item after {@code attempts} attempts. */
  private static boolean engineState(HostDaemon daemon, String id, int attempts) throws Exception {
    for (var e : daemon.queue().status().getAsJsonArray("queue")) {
      JsonObject q = e.getAsJsonObject();
      if (q.get("id").getAsString().equals(id)) {
        JsonObject state = q.getAsJsonObject("state");
        return state.has("phase")
            && state.get("phase").getAsString().equals("BACKOFF")
            && state.get("attempts").getAsInt() == attempts;
      }
    }
    return false;
  }

  private static String daemonlessId(HostFixture host) throws Exception {
    try (Spool spool = Spool.open(host.spoolDir())) {
      return spool.list().get(0).id().toString();
    }
  }

  @Test
  void theDaemonAnnouncesItselfOnTheBrokerAndStatusSeesThePeer(@TempDir Path home)
      throws Exception {
    AtomicReference<String> state = new AtomicReference<>("");
    MqttClient watcher = new MqttClient(mqtt.url(), "watcher", new MemoryPersistence());
    watcher.connect();
    // a dongle that is online, as its retained state says
    watcher.publish(
        "twinpath/dongle/state",
        "{\"device\":\"dongle\",\"state\":\"online\",\"at\":\"2026-11-26T10:00:00Z\"}"
            .getBytes(StandardCharsets.UTF_8),
        1,
        true);
    watcher.subscribe(
        "twinpath/laptop/state",
        1,
        (t, m) -> state.set(new String(m.getPayload(), StandardCharsets.UTF_8)));
    try {
      HostFixture host = new HostFixture(home, "broker " + mqtt.url() + "\n");
      HostFixture.Result offline = host.run("", "status", "--json");
      JsonObject s = new Gson().fromJson(offline.out(), JsonObject.class);
      assertThat(s.get("daemon").getAsBoolean()).isFalse();
      JsonObject dongle = s.getAsJsonArray("paths").get(1).getAsJsonObject();
      assertThat(dongle.get("device").getAsString()).isEqualTo("dongle");
      assertThat(dongle.get("online").getAsBoolean()).isTrue();
      assertThat(s.getAsJsonObject("broker").get("reached").getAsBoolean()).isTrue();

      HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
      HostDaemon daemon = HostDaemon.start(config, Clock.systemUTC());
      await().atMost(Duration.ofSeconds(10)).until(() -> state.get().contains("\"online\""));
      assertThat(state.get()).contains("\"role\":\"host\"");
      assertThat(host.run("", "status").out()).contains("broker   " + mqtt.url() + " (connected)");
      daemon.close();
      assertThat(daemon.isOnline()).isFalse();
      await().atMost(Duration.ofSeconds(10)).until(() -> state.get().contains("\"offline\""));
    } finally {
      watcher.publish("twinpath/dongle/state", new byte[0], 1, true);
      watcher.disconnect();
      watcher.close();
    }
  }

  @Test
  void statusSaysPlainlyWhenTheBrokerAcceptsButNeverAnswers(@TempDir Path home) throws Exception {
    // a wedged broker: the connection is accepted, CONNECT gets no reply
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (java.io.IOException e) {
                  // closed at the end of the test
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "tcp://127.0.0.1:" + silent.getLocalPort();
      HostFixture host = new HostFixture(home, "broker " + url + "\n");

      HostFixture.Result json = host.run("", "status", "--json");
      assertThat(json.exit()).as(json.err()).isZero();
      JsonObject broker =
          new Gson().fromJson(json.out(), JsonObject.class).getAsJsonObject("broker");
      assertThat(broker.get("url").getAsString()).isEqualTo(url);
      assertThat(broker.get("reached").getAsBoolean()).isFalse();
      assertThat(broker.get("problem").getAsString())
          .contains("does not answer")
          .contains("no reply to CONNECT");

      HostFixture.Result text = host.run("", "status");
      assertThat(text.out()).contains("broker   " + url + " NOT REACHED: the MQTT broker");
      assertThat(held).isNotEmpty();
      for (java.net.Socket h : held) {
        h.close();
      }
    }
  }

  @Test
  void configCheckGivesAVerdict(@TempDir Path home) throws Exception {
    HostFixture good =
        new HostFixture(
            home.resolve("good"),
            "account work\nhost smtp.example.org\nuser alice\npasswordeval echo pw\n"
                + "from alice@example.org\n",
            "");
    HostFixture.Result ok = good.run("", "config", "check");
    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.out())
        .contains("account   work")
        .contains("smtp.example.org:587 tls starttls")
        .contains("from a command")
        .contains("verdict: OK")
        .doesNotContain(" pw\n");

    HostFixture bad = new HostFixture(home.resolve("bad"), "listen 0.0.0.0:25\n");
    HostFixture.Result no = bad.run("", "config", "check");
    assertThat(no.exit()).isEqualTo(78);
    assertThat(no.out())
        .contains("host.conf:5: listen = '0.0.0.0:25' is not accepted: give off, a port")
        .contains("verdict: NOT USABLE");

    HostFixture failingCommand =
        new HostFixture(
            home.resolve("cmd"),
            "account work\nhost smtp.example.org\nuser alice\npasswordeval exit 1\n",
            "");
    HostFixture.Result cmd = failingCommand.run("", "config", "check");
    assertThat(cmd.exit()).isEqualTo(78);
    assertThat(cmd.out()).contains("exited with status 1").contains("NOT USABLE");
  }

  @Test
  void pairShowsTheKeyAndTrustsAPeerOnlyWithTheRightFingerprint(@TempDir Path home)
      throws Exception {
    HostFixture laptop = new HostFixture(home.resolve("laptop"), "");
    HostFixture other = new HostFixture(home.resolve("other"), "device dongle\npeers laptop\n");
    HostFixture.Result show = other.run("", "pair");
    assertThat(show.exit()).as(show.err()).isZero();
    String key = line(show.out(), "public key").split("\\s+")[2];
    String fp = line(show.out(), "fingerprint").split("\\s+")[1];
    assertThat(fp).matches("[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}");

    HostFixture.Result wrong =
        laptop.run("", "pair", "dongle", key, "--fingerprint", "AAAA-AAAA-AAAA-AAAA");
    assertThat(wrong.exit()).isEqualTo(65);
    assertThat(wrong.err()).contains("Nothing was trusted");

    HostFixture.Result right = laptop.run("", "pair", "dongle", key, "--fingerprint", fp);
    assertThat(right.exit()).as(right.err()).isZero();
    assertThat(right.out()).contains("paired with dongle: fingerprint " + fp);
    assertThat(laptop.run("", "pair").out()).contains("dongle  " + fp);
    assertThat(laptop.run("", "pair", "--forget", "dongle").exit()).isZero();
    assertThat(laptop.run("", "pair").out()).contains("paired peers: none");
  }

  private static String line(String text, String label) {
    return text.lines().filter(l -> l.contains(label)).findFirst().orElseThrow().strip();
  }

  @Test
  void badArgumentsExitWithUsageAndNameTheValue(@TempDir Path home) throws Exception {
    HostFixture host = new HostFixture(home, "");
    HostFixture.Result r = host.run("", "run", "--nope");
    assertThat(r.exit()).isEqualTo(TwinpathHost.EX_USAGE);
    assertThat(r.err()).contains("--nope");
  }
}
