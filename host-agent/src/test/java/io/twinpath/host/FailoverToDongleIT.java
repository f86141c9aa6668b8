package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.host.internal.HostDaemon;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.testing.HostFixture;
import io.twinpath.testing.FreePorts;
import io.twinpath.testing.MosquittoExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * This laptop's server refuses connections; the paired dongle (a real coordinator on the same
 * broker, with its own SMTP path) takes the turn and delivers, and {@code status} names the dongle
 * as the path that carried the message.
 */
class FailoverToDongleIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final DeviceId LAPTOP = DeviceId.of("laptop");
  static final DeviceId DONGLE = DeviceId.of("dongle");

  @Test
  void theDongleCarriesWhatThisLaptopCannot(@TempDir Path home) throws Exception {
    GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    greenMail.start();
    int refused = FreePorts.pick(); // nothing listens there: connection refused
    HostFixture host =
        new HostFixture(
            home.resolve("laptop"),
            "account own\nhost 127.0.0.1\nport " + refused + "\ntls off\ntimeout 2s\n",
            "broker " + mqtt.url() + "\nbackoff 1s\nbackoff_max 2s\n");
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    Path dongleData = home.resolve("dongle");
    // pair the two devices both ways
    DeviceKeys laptopKeys = DeviceKeys.loadOrCreate(config.dataDir(), LAPTOP);
    DeviceKeys dongleKeys = DeviceKeys.loadOrCreate(dongleData, DONGLE);
    PairingStore.open(config.dataDir().resolve("peers.json"))
        .trust(DONGLE, dongleKeys.publicKeyBase64());
    PairingStore.open(dongleData.resolve("peers.json")).trust(LAPTOP, laptopKeys.publicKeyBase64());

    Spool dongleSpool = Spool.open(dongleData.resolve("spool"));
    Coordinator dongle =
        Coordinator.builder()
            .device(DONGLE)
            .order(List.of(LAPTOP, DONGLE))
            .dataDir(dongleData)
            .broker(
                LinkSettings.builder()
                    .brokerUrl(mqtt.url())
                    .device(DONGLE)
                    .role("secondary")
                    .dataDir(dongleData)
                    .build())
            .spool(dongleSpool)
            .sender(
                SmtpSender.create(
                    SmtpSettings.builder()
                        .host("127.0.0.1")
                        .port(greenMail.getSmtp().getPort())
                        .tls(SmtpSettings.TlsMode.NONE)
                        .build()))
            .settings(
                CoordinatorSettings.builder()
                    .initialBackoff(Duration.ofSeconds(1))
                    .maxBackoff(Duration.ofSeconds(2))
                    .build())
            .build()
            .start();
    try (HostDaemon daemon = HostDaemon.start(config, Clock.systemUTC())) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> "online".equals(daemon.coordinator().status().peers().get(DONGLE)));
      HostFixture.Result r =
          host.run(
              "From: alice@example.org\nTo: bob@example.org\nSubject: over the dongle\n\nhi\n",
              "sendmail",
              "-t");
      assertThat(r.exit()).as(r.err()).isZero();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> greenMail.getReceivedMessages().length == 1);
      assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("over the dongle");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                daemon.flush();
                return status(host).getAsJsonArray("recent").size() == 1;
              });
      JsonObject s = status(host);
      JsonObject outcome = s.getAsJsonArray("recent").get(0).getAsJsonObject();
      assertThat(outcome.get("outcome").getAsString()).isEqualTo("delivered");
      assertThat(outcome.get("path").getAsString()).isEqualTo("dongle");
      JsonObject donglePath = s.getAsJsonArray("paths").get(1).getAsJsonObject();
      assertThat(donglePath.get("online").getAsBoolean()).isTrue();
      assertThat(host.run("", "status", "--no-broker").out())
          .contains("delivered  via dongle")
          .contains("dongle      peer         online");
    } finally {
      dongle.close();
      dongleSpool.close();
      greenMail.stop();
    }
  }

  private static JsonObject status(HostFixture host) {
    HostFixture.Result r = host.run("", "status", "--json", "--no-broker");
    assertThat(r.exit()).as(r.err()).isZero();
    return new Gson().fromJson(r.out(), JsonObject.class);
  }
}
