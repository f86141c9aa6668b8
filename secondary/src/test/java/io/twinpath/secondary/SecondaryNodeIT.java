package io.twinpath.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.hw.Sleeper;
import io.twinpath.hw.modem.ModemConfig;
import io.twinpath.hw.modem.ModemDialect;
import io.twinpath.hw.power.PowerConfig;
import io.twinpath.hw.serial.SerialSettings;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.testing.MosquittoExtension;
import io.twinpath.testing.PtyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole secondary on a real broker with the simulated modem on a real pty and its reset line on
 * Pi4J's mock platform: it announces itself and its health; when the modem stops answering it is
 * reset, the recovery shows on the events topic, in the health document and at the configured
 * listener, and the modem is brought up again.
 */
class SecondaryNodeIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;

  @Test
  void aModemThatStopsAnsweringIsResetAndTheRecoveryIsReportedEverywhere() throws Exception {
    DeviceId self = DeviceId.of("dongle");
    AtomicReference<@Nullable Context> gpio = new AtomicReference<>();
    List<String> recoveries = new CopyOnWriteArrayList<>();
    Map<String, String> topics = new ConcurrentHashMap<>();
    List<String> events = new CopyOnWriteArrayList<>();
    MqttClient observer = new MqttClient(mqtt.url(), "observer", new MemoryPersistence());
    observer.connect();
    observer.subscribe(
        "twinpath/dongle/#",
        1,
        (topic, m) -> {
          String payload = new String(m.getPayload(), StandardCharsets.UTF_8);
          topics.put(topic, payload);
          if (topic.endsWith("/events")) {
            events.add(payload);
          }
        });
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(pty.b().toString(), SimConfig.of(Dialect.SIM7600))) {
      SecondarySettings.Modem modem =
          SecondarySettings.Modem.builder(
                  SerialSettings.of(pty.a().toString()),
                  ModemDialect.SIM7600,
                  ModemConfig.builder()
                      .apn("internet")
                      .commandTimeout(Duration.ofMillis(600))
                      .guardTime(Duration.ofMillis(50))
                      .build())
              .poll(Duration.ofMillis(500))
              .recoveryAfter(1)
              .power(
                  PowerConfig.builder(6)
                      .resetPin(5)
                      .resetPulse(Duration.ofMillis(50))
                      .bootTime(Duration.ofMillis(500))
                      .build())
              .gpio(
                  () -> {
                    Context c =
                        Pi4J.newContextBuilder()
                            .noAutoDetect()
                            .add(new MockPlatform())
                            .add(
                                MockDigitalInputProvider.newInstance(),
                                MockDigitalOutputProvider.newInstance())
                            .build();
                    gpio.set(c);
                    return c;
                  })
              .sleeper(Sleeper.SYSTEM)
              .build();
      SecondarySettings settings =
          SecondarySettings.builder()
              .device(self)
              .peers(List.of(DeviceId.of("laptop")))
              .dataDir(dir.resolve("data"))
              .link(
                  LinkSettings.builder()
                      .brokerUrl(mqtt.url())
                      .device(self)
                      .role("secondary")
                      .dataDir(dir.resolve("data"))
                      .build())
              .modemPath(
                  modem,
                  () ->
                      SmtpSettings.builder()
                          .host("127.0.0.1")
                          .port(2525)
                          .tls(SmtpSettings.TlsMode.NONE))
              .listener(
                  new TwinpathListener() {
                    @Override
                    public void modemRecovery(
                        String port, String action, int attempt, boolean recovered, String d) {
                      recoveries.add(action + " " + attempt + " " + recovered);
                    }
                  })
              .build();
      try (SecondaryNode node = SecondaryNode.start(settings)) {
        Context c = gpio.get();
        assertThat(c).as("the reset line was claimed at start").isNotNull();
        c.registry()
            .get("modem-reset", DigitalOutput.class)
            .addListener(
                e -> {
                  if (e.state() == DigitalState.HIGH) {
                    sim.reset();
                  }
                });
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> topics.getOrDefault("twinpath/dongle/health", "").contains("\"data\":true"));
        assertThat(topics.get("twinpath/dongle/health"))
            .contains("\"role\":\"secondary\"")
            .contains("\"recovery\":\"reset line\"")
            .contains("\"kind\":\"modem\"");

        sim.setWedged(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> !recoveries.isEmpty());
        assertThat(recoveries.get(0)).isEqualTo("reset line 1 true");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> events.stream().anyMatch(e -> e.contains("\"event\":\"modemRecovery\"")));
        assertThat(
                events.stream().filter(e -> e.contains("modemRecovery")).findFirst().orElseThrow())
            .contains("\"action\":\"reset line\"")
            .contains("\"recovered\":true")
            .contains("\"port\":\"" + pty.a());
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    topics.getOrDefault("twinpath/dongle/health", "").contains("\"recoveries\":1")
                        && topics.get("twinpath/dongle/health").contains("\"data\":true"));
        assertThat(node.modemRecoveries()).isEqualTo(1);
        assertThat(node.healthJson()).contains("reset line attempt 1: recovered");
      }
    } finally {
      observer.disconnect();
      observer.close();
    }
  }
}
