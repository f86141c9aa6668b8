package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.host.internal.HostDaemon;
import io.twinpath.testing.MosquittoExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class HostDaemonTest {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @Test
  void announcesOnlineThenOfflineRetainedOnARealBroker() throws Exception {
    AtomicReference<String> state = new AtomicReference<>("");
    MqttClient watcher = new MqttClient(mqtt.url(), "watcher", new MemoryPersistence());
    watcher.connect();
    watcher.subscribe(
        "twinpath/+/state",
        1,
        (t, m) -> state.set(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
    try {
      HostDaemon daemon = HostDaemon.start(mqtt.url(), DeviceId.of("laptop"), Clock.systemUTC());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  state.get().startsWith("twinpath/laptop/state")
                      && state.get().contains("\"online\""));
      assertThat(state.get()).contains("\"role\":\"host\"");
      daemon.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> state.get().contains("\"offline\""));
    } finally {
      watcher.disconnect();
      watcher.close();
    }
  }

  @Test
  void badArgumentsExitWithUsageAndNameTheValue() {
    StringWriter err = new StringWriter();
    CommandLine cl = TwinpathHost.commandLine();
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("run", "--nope")).isEqualTo(TwinpathHost.EX_USAGE);
    assertThat(err.toString()).contains("--nope");
  }
}
