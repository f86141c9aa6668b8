package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.inbound.InboundStore;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.secondary.SecondarySettings;
import io.twinpath.secondary.internal.InboundWiring;
import io.twinpath.testing.PtyPair;
import io.twinpath.testing.TestCertificates;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secondary fetches inbound mail over the same path as it sends: with the modem path, IMAPS
 * runs in Java over the simulated modem's sockets (GreenMail IMAPS on loopback, its certificate
 * checked against the configured trust store and host name); when the modem's data context is gone
 * the fetch fails instead of taking the machine's default route, which still reaches the server;
 * when it is back, the fetch resumes at once.
 */
class InboundOverModemIT {
  @TempDir Path dir;

  private static void deliver(GreenMailUser user, int i) throws Exception {
    String m =
        "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: Cellular "
            + i
            + "\r\nMessage-ID: <cell-"
            + i
            + "@example.org>\r\n\r\nFetched over the modem, "
            + "x".repeat(2000)
            + "\r\n";
    user.deliver(
        new MimeMessage(
            Session.getInstance(new Properties()),
            new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void theFetchGoesThroughTheModemAndNowhereElse() throws Exception {
    Path trust = TestCertificates.greenMailTrustStore();
    GreenMail mail =
        new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.IMAPS}));
    mail.start();
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(pty.b().toString(), SimConfig.of(Dialect.SIM7600))) {
      GreenMailUser user = mail.setUser("bob@example.org", "bob", "secret");
      deliver(user, 1);
      Map<String, String> values = new HashMap<>();
      values.put("broker.port", "0");
      values.put("data.dir", dir.resolve("dongle").toString());
      values.put("peers", "laptop");
      values.put("modem.port", pty.a().toString());
      values.put("modem.dialect", "sim7600");
      values.put("modem.apn", "internet");
      values.put("modem.poll", "1s");
      values.put("smtp.host", "127.0.0.1");
      values.put("smtp.tls", "none");
      values.put("inbound.protocol", "imap");
      values.put("inbound.tls", "implicit");
      // the name on the certificate; the modem resolves it (the simulator to loopback)
      values.put("inbound.host", "localhost");
      values.put("inbound.port", Integer.toString(mail.getImaps().getServerSetup().getPort()));
      values.put("inbound.username", "bob");
      values.put("inbound.password", "secret");
      values.put("inbound.truststore", trust.toString());
      values.put("inbound.truststore-password", TestCertificates.TRUST_PASSWORD);
      values.put("inbound.policy", "always");
      values.put("inbound.poll", "10s");
      DongleConfig config = DongleConfig.fromMap(values, Map.of("HOME", dir.toString()));

      try (Secondary dongle = Secondary.start(config, Clock.systemUTC())) {
        InboundStore held = dongle.inbound().store();
        await().atMost(Duration.ofSeconds(60)).until(() -> held.held().size() == 1);
        assertThat(sim.tcpBytesReceived())
            .as("the message came in through the modem")
            .isGreaterThan(2000);
        assertThat(sim.tcpBytesSent()).as("the login went out through the modem").isPositive();
        await().atMost(Duration.ofSeconds(20)).until(dongle.inbound()::idling);

        // the cellular data context is gone and stays gone: nothing is fetched, although the
        // server is still reachable over this machine's default route
        sim.setDataService(false);
        sim.dropDataContext();
        // (GreenMail's thread for the cut connection ends with an error: not this test's concern)
        await()
            .dontCatchUncaughtExceptions()
            .atMost(Duration.ofSeconds(20))
            .until(() -> !dongle.inbound().idling());
        long received = sim.tcpBytesReceived();
        deliver(user, 2);
        await()
            .dontCatchUncaughtExceptions()
            .during(Duration.ofSeconds(4))
            .atMost(Duration.ofSeconds(6))
            .until(() -> held.held().size() == 1);
        assertThat(sim.tcpBytesReceived()).isEqualTo(received);

        // cellular data is back: the fetch resumes over the modem at once, not at the next poll
        sim.setDataService(true);
        await()
            .dontCatchUncaughtExceptions()
            .atMost(Duration.ofSeconds(40))
            .until(() -> held.held().size() == 2);
        assertThat(sim.tcpBytesReceived()).isGreaterThan(received + 2000);
      }
    } finally {
      // GreenMail closes each TLS connection by waiting for the peer's close_notify, up to its
      // read timeout, and the connections the simulator had open may never send one: stop it
      // without holding up the test
      Thread stop = new Thread(mail::stop, "greenmail-stop");
      stop.setDaemon(true);
      stop.start();
    }
  }

  @Test
  void theFetchSettingsFollowThePath() throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("inbound.protocol", "pop3");
    values.put("inbound.host", "pop.example.org");
    values.put("inbound.username", "bob");
    SecondarySettings.Inbound in =
        DongleConfig.fromMap(values, Map.of("HOME", dir.toString()))
            .inbound()
            .orElseThrow()
            .inbound();
    SocketFactory modem = SocketFactory.getDefault();
    FetchSettings viaModem = InboundWiring.settings(in, modem, null);
    assertThat(viaModem.socketFactory()).isSameAs(modem);
    assertThat(viaModem.localAddress()).isNull();
    assertThat(viaModem.protocol()).isEqualTo(FetchSettings.Protocol.POP3S);
    InetAddress cellular = InetAddress.getByName("10.64.12.7");
    FetchSettings viaInterface = InboundWiring.settings(in, null, cellular);
    assertThat(viaInterface.socketFactory()).isNull();
    assertThat(viaInterface.localAddress()).isEqualTo(cellular);
    FetchSettings defaultRoute = InboundWiring.settings(in, null, null);
    assertThat(defaultRoute.socketFactory()).isNull();
    assertThat(defaultRoute.localAddress()).isNull();
  }
}
