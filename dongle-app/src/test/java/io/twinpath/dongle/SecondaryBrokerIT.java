package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.testing.TestCertificates;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker as the host reaches it: password, message size, TLS, retained status. */
class SecondaryBrokerIT {
  @TempDir Path dir;

  private DongleConfig config(Map<String, String> extra) {
    Map<String, String> m = new java.util.HashMap<>(extra);
    m.putIfAbsent("broker.port", "0");
    m.put("data.dir", dir.resolve("state").toString());
    return DongleConfig.fromMap(m, Map.of("HOME", dir.toString()));
  }

  @Test
  void requiresThePasswordAndCarriesLargeMessages() throws Exception {
    DongleConfig c = config(Map.of("broker.username", "twinpath", "broker.password", "pass word"));
    try (Secondary s = Secondary.start(c, Clock.systemUTC())) {
      MqttConnectOptions wrong = new MqttConnectOptions();
      wrong.setUserName("twinpath");
      wrong.setPassword("nope".toCharArray());
      MqttClient intruder = new MqttClient(s.brokerUrl(), "intruder", new MemoryPersistence());
      assertThatThrownBy(() -> intruder.connect(wrong))
          .isInstanceOf(MqttException.class)
          .satisfies(
              e ->
                  assertThat(((MqttException) e).getReasonCode())
                      .isIn(
                          (int) MqttException.REASON_CODE_FAILED_AUTHENTICATION,
                          (int) MqttException.REASON_CODE_NOT_AUTHORIZED));
      intruder.close();
      MqttClient anonymous = new MqttClient(s.brokerUrl(), "anonymous", new MemoryPersistence());
      assertThatThrownBy(() -> anonymous.connect()).isInstanceOf(MqttException.class);
      anonymous.close();

      MqttConnectOptions right = new MqttConnectOptions();
      right.setUserName("twinpath");
      right.setPassword("pass word".toCharArray());
      MqttClient host = new MqttClient(s.brokerUrl(), "laptop-test", new MemoryPersistence());
      host.setTimeToWait(30_000);
      host.connect(right);
      MqttClient dongle = new MqttClient(s.brokerUrl(), "dongle-test", new MemoryPersistence());
      dongle.setTimeToWait(30_000);
      dongle.connect(right);
      CompletableFuture<byte[]> got = new CompletableFuture<>();
      dongle.subscribe("twinpath/test/chunk", 1, (t, m) -> got.complete(m.getPayload()));
      byte[] chunk = new byte[64 * 1024]; // far above Moquette's 8092-byte default
      new java.util.Random(1).nextBytes(chunk);
      host.publish("twinpath/test/chunk", chunk, 1, false);
      assertThat(got.get(30, TimeUnit.SECONDS)).isEqualTo(chunk);
      dongle.disconnect();
      dongle.close();

      CompletableFuture<String> status = new CompletableFuture<>();
      host.subscribe(
          "twinpath/dongle/health",
          1,
          (t, m) -> status.complete(new String(m.getPayload(), StandardCharsets.UTF_8)));
      assertThat(status.get(10, TimeUnit.SECONDS))
          .contains("\"device\":\"dongle\"")
          .contains("\"mode\":\"embedded\"")
          .contains("\"auth\":true")
          .doesNotContain("pass word");
      host.disconnect();
      host.close();
    }
  }

  @Test
  void servesTlsWithTheConfiguredKeyStore() throws Exception {
    Path ks = dir.resolve("broker.p12");
    Path ts = dir.resolve("trust.p12");
    TestCertificates.keyPair(
        ks, "changeit".toCharArray(), "broker", "twinpath-dongle", "ip:127.0.0.1");
    TestCertificates.trustStore(
        ks, "changeit".toCharArray(), "broker", ts, "changeit".toCharArray());
    DongleConfig c =
        config(
            Map.of(
                "broker.port", "off",
                "broker.tls.port", "0",
                "broker.tls.keystore", ks.toString(),
                "broker.tls.keystore-password", "changeit",
                "broker.tls.truststore", ts.toString(),
                "broker.tls.truststore-password", "changeit"));
    try (Secondary s = Secondary.start(c, Clock.systemUTC())) {
      assertThat(s.brokerUrl()).startsWith("ssl://127.0.0.1:");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(ts)) {
        trust.load(in, "changeit".toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      MqttConnectOptions o = new MqttConnectOptions();
      o.setSocketFactory(ctx.getSocketFactory());
      MqttClient client = new MqttClient(s.brokerUrl(), "tls-reader", new MemoryPersistence());
      client.connect(o);
      CompletableFuture<String> status = new CompletableFuture<>();
      client.subscribe(
          "twinpath/dongle/health",
          1,
          (t, m) -> status.complete(new String(m.getPayload(), StandardCharsets.UTF_8)));
      assertThat(status.get(10, TimeUnit.SECONDS)).contains("\"url\":\"ssl://127.0.0.1:");
      client.disconnect();
      client.close();
    }
  }

  @Test
  void anUnusableBrokerTrustStoreNamesTheKeyAndTheFile() throws Exception {
    Path ts = dir.resolve("not-a-trust-store.p12");
    Files.writeString(ts, "this is not a key store");
    Map<String, String> m = new java.util.HashMap<>();
    m.put("broker", "ssl://127.0.0.1:8883");
    m.put("broker.tls.truststore", ts.toString());
    m.put("broker.tls.truststore-password", "changeit");
    m.put("data.dir", dir.resolve("state").toString());
    DongleConfig c = DongleConfig.fromMap(m, Map.of("HOME", dir.toString()));
    assertThatThrownBy(() -> Secondary.start(c, Clock.systemUTC()))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("broker.tls.truststore '" + ts + "'")
        .hasMessageContaining("cannot be read as PKCS12 or JKS");
  }

  @Test
  void aBusyPortIsASentence() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      DongleConfig c = config(Map.of("broker.port", Integer.toString(taken.getLocalPort())));
      assertThatThrownBy(() -> Secondary.start(c, Clock.systemUTC()))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("the embedded MQTT broker cannot listen on 127.0.0.1 port")
          .hasMessageContaining("set broker.port or broker.address");
    }
  }
}
