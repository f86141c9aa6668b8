package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.dongle.internal.EmbeddedBroker;
import io.twinpath.testing.FreePorts;
import io.twinpath.testing.TestCertificates;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QoS 1 message sent again after a restart, against the embedded broker: with the DUP flag it
 * wedges Moquette 0.17; as the device link sends it, the broker routes it and keeps answering.
 */
class ResentPublishIT {
  private static final String INBOX = "twinpath/dongle/inbox";

  @TempDir Path dir;

  private DongleConfig.Broker broker(int port) {
    return DongleConfig.fromMap(
            Map.of("broker.port", Integer.toString(port), "data.dir", dir.toString()),
            Map.of("HOME", dir.toString()))
        .broker();
  }

  /** A client id Moquette serves on the same session thread as {@code clientId}. */
  static String sameSessionThread(String clientId, String prefix) {
    int loops = Runtime.getRuntime().availableProcessors();
    int target = Math.abs(clientId.hashCode()) % loops;
    for (int i = 0; ; i++) {
      String id = prefix + i;
      if (!id.equals(clientId) && Math.abs(id.hashCode()) % loops == target) {
        return id;
      }
    }
  }

  private static MqttClient subscriber(String url, List<String> got) throws MqttException {
    MqttClient s = new MqttClient(url, "twinpath-dongle-test", new MemoryPersistence());
    s.setTimeToWait(10_000);
    s.connect();
    s.subscribe(INBOX, 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
    return s;
  }

  /** Whether a CONNECT with {@code clientId} is answered within 3 s. */
  private static boolean answers(String url, String clientId) throws MqttException {
    MqttClient probe = new MqttClient(url, clientId, new MemoryPersistence());
    probe.setTimeToWait(3_000);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setConnectionTimeout(3);
    try {
      probe.connect(o);
      probe.disconnect(1000);
      return true;
    } catch (MqttException e) {
      probe.disconnectForcibly(0, 100, false);
      return false;
    } finally {
      try {
        probe.close(true);
      } catch (MqttException e) {
        // a connect that never ended; the client is dropped anyway
      }
    }
  }

  @Test
  void moquetteStopsAnsweringAfterAResentPublishWithTheDupFlag() throws Exception {
    int port = FreePorts.pick();
    Path persistence = dir.resolve("paho");
    ResentPublish.leave(port, "twinpath-laptop", persistence, INBOX);
    FreePorts.awaitBindable(port);
    try (EmbeddedBroker broker = EmbeddedBroker.start(broker(port))) {
      List<String> got = new CopyOnWriteArrayList<>();
      MqttClient s = subscriber(broker.url(), got);
      assertThat(answers(broker.url(), sameSessionThread("twinpath-laptop", "before-"))).isTrue();

      MqttAsyncClient laptop = ResentPublish.resend(broker.url(), "twinpath-laptop", persistence);

      String neighbour = sameSessionThread("twinpath-laptop", "after-");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(answers(broker.url(), neighbour)).isFalse());
      assertThat(got).isEmpty();
      String[] status =
          StatusCommandTest.run(
              "status", "--set", "broker.port=" + port, "--set", "data.dir=" + dir);
      assertThat(status[0]).isEqualTo(Integer.toString(TwinpathDongle.EX_UNAVAILABLE));
      assertThat(status[2])
          .contains(
              "the broker at tcp://127.0.0.1:"
                  + port
                  + " accepts connections but does not answer MQTT CONNECT within 3 s");
      laptop.disconnectForcibly(0, 100, false);
      laptop.close(true);
      s.disconnectForcibly(0, 100, false);
      s.close(true);
    }
  }

  @Test
  void theLinkSendsItAgainWithoutTheFlagAndTheBrokerKeepsAnswering() throws Exception {
    int port = FreePorts.pick();
    linkResendsToAFreshBroker(
        port, "tcp://127.0.0.1:" + port, null, Map.of("broker.port", Integer.toString(port)), null);
  }

  @Test
  void overTlsToo() throws Exception {
    int port = FreePorts.pick();
    Path ks = dir.resolve("broker.p12");
    Path ts = dir.resolve("trust.p12");
    char[] pw = "changeit".toCharArray();
    TestCertificates.keyPair(ks, pw, "broker", "twinpath-dongle", "ip:127.0.0.1");
    TestCertificates.trustStore(ks, pw, "broker", ts, pw);
    SSLContext server = SSLContext.getInstance("TLS");
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(ks, pw), pw);
    server.init(kmf.getKeyManagers(), null, null);
    SSLContext client = SSLContext.getInstance("TLS");
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(ts, pw));
    client.init(null, tmf.getTrustManagers(), null);
    linkResendsToAFreshBroker(
        port,
        "ssl://127.0.0.1:" + port,
        server,
        Map.of(
            "broker.port",
            "off",
            "broker.tls.port",
            Integer.toString(port),
            "broker.tls.keystore",
            ks.toString(),
            "broker.tls.keystore-password",
            "changeit"),
        client);
  }

  private static KeyStore load(Path p, char[] pw) throws Exception {
    KeyStore k = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p)) {
      k.load(in, pw);
    }
    return k;
  }

  private void linkResendsToAFreshBroker(
      int port,
      String url,
      @Nullable SSLContext serverTls,
      Map<String, String> brokerKeys,
      @Nullable SSLContext clientTls)
      throws Exception {
    LinkSettings.Builder b =
        LinkSettings.builder()
            .brokerUrl(url)
            .device(DeviceId.of("laptop"))
            .role("host")
            .dataDir(dir.resolve("laptop"));
    if (clientTls != null) {
      b.socketFactory(clientTls.getSocketFactory());
    }
    LinkSettings settings = b.build();
    try (SilentBroker silent = new SilentBroker(port, serverTls)) {
      MqttLink link = MqttLink.start(settings, Clock.systemUTC(), (t, p, d) -> {});
      await().atMost(Duration.ofSeconds(10)).until(link::isConnected);
      link.publish(INBOX, "left in flight".getBytes(StandardCharsets.UTF_8), false);
      // the retained online state and the inbox message
      await().atMost(Duration.ofSeconds(10)).until(() -> silent.publishes() >= 2);
      link.abort();
    }
    Map<String, String> keys = new HashMap<>(brokerKeys);
    keys.put("data.dir", dir.toString());
    DongleConfig.Broker config =
        DongleConfig.fromMap(keys, Map.of("HOME", dir.toString())).broker();
    FreePorts.awaitBindable(port);
    try (EmbeddedBroker broker = EmbeddedBroker.start(config)) {
      assertThat(broker.url()).isEqualTo(url);
      MqttConnectOptions o = new MqttConnectOptions();
      if (clientTls != null) {
        o.setSocketFactory(clientTls.getSocketFactory());
      }
      List<String> got = new CopyOnWriteArrayList<>();
      MqttClient s = new MqttClient(url, "twinpath-dongle-test", new MemoryPersistence());
      s.setTimeToWait(10_000);
      s.connect(o);
      s.subscribe(INBOX, 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));

      MqttLink link = MqttLink.start(settings, Clock.systemUTC(), (t, p, d) -> {});
      await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("left in flight"));
      MqttClient neighbour =
          new MqttClient(
              url, sameSessionThread("twinpath-laptop", "after-"), new MemoryPersistence());
      neighbour.setTimeToWait(5_000);
      neighbour.connect(o);
      neighbour.disconnect();
      neighbour.close();
      await().atMost(Duration.ofSeconds(10)).until(link::isConnected);
      link.close();
      s.disconnect();
      s.close();
    }
  }
}
