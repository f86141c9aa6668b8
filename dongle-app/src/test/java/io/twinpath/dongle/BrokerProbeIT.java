package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.config.Secret;
import io.twinpath.dongle.internal.BrokerProbe;
import io.twinpath.dongle.internal.EmbeddedBroker;
import io.twinpath.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker probe against a broker that answers, one that only accepts, and a closed port. */
class BrokerProbeIT {
  @TempDir Path dir;

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private static @Nullable String check(
      int port, List<String> ids, String user, @Nullable Secret password) {
    return BrokerProbe.check(
        "127.0.0.1", port, SocketFactory.getDefault(), ids, user, password, TIMEOUT);
  }

  @Test
  void aBrokerThatAnswersPassesOnEverySessionThread() throws Exception {
    int port = FreePorts.pick();
    DongleConfig.Broker b =
        DongleConfig.fromMap(
                Map.of(
                    "broker.port",
                    Integer.toString(port),
                    "broker.username",
                    "twinpath",
                    "broker.password",
                    "pass word",
                    "data.dir",
                    dir.toString()),
                Map.of("HOME", dir.toString()))
            .broker();
    List<String> ids = BrokerProbe.idsForEverySessionThread("probe-");
    assertThat(ids).hasSize(Runtime.getRuntime().availableProcessors()).doesNotHaveDuplicates();
    try (EmbeddedBroker broker = EmbeddedBroker.start(b)) {
      assertThat(check(broker.port(), ids, "twinpath", b.password())).isNull();
      // a refused password is an answer too
      assertThat(check(broker.port(), ids, "twinpath", Secret.of("wrong".toCharArray()))).isNull();
    }
  }

  @Test
  void saysWhenTheBrokerAcceptsButDoesNotAnswer() throws Exception {
    int port = FreePorts.pick();
    try (SilentBroker mute = SilentBroker.mute(port)) {
      assertThat(check(port, List.of("probe-0"), "u", null))
          .isEqualTo("accepts connections but does not answer MQTT CONNECT within 1 s");
      assertThat(mute.publishes()).isZero();
    }
    // a port nothing listens on
    assertThat(check(FreePorts.pick(), List.of("probe-0"), "u", null))
        .startsWith("refuses connections");
  }
}
