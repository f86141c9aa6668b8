package io.twinpath.kura.it;

import static io.twinpath.kura.it.OsgiRuntime.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.engine.CoordinatorSettings;
import io.twinpath.core.event.FailureClass;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.status.DeviceStatus;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.kura.TwinpathKura;
import io.twinpath.kura.it.crypto.StandInCrypto;
import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimCardState;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import io.twinpath.testing.MosquittoExtension;
import io.twinpath.testing.PtyPair;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The installed component as the secondary of a real pair: the laptop's engine runs in this JVM and
 * its SMTP path is refused; the gateway, installed from the .dp in the framework and configured
 * through Config Admin with an encrypted SMTP password, takes the turn and delivers to GreenMail,
 * exactly once, over its own path (bound to a local address, as on a cellular interface).
 */
class KuraFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final DeviceId LAPTOP = DeviceId.of("laptop");
  private static final DeviceId GATEWAY = DeviceId.of("gateway");
  private static final String SMTP_USER = "gw-account";
  private static final String SMTP_PASSWORD = "Gateway-Smtp-Pa55-only-Kura-knows";

  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  private @Nullable OsgiRuntime osgi;
  private @Nullable GreenMail greenMail;
  private @Nullable FaultProxy hostPath;
  private @Nullable Spool laptopSpool;
  private @Nullable Coordinator laptop;
  private @Nullable Object deploymentPackage;
  private Path work = Path.of("target");
  private Path gatewayData = Path.of("target");
  private String laptopPublicKey = "";
  private final Queue<String> laptopEvents = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start(TestInfo test) throws Exception {
    String name = System.getProperty("twinpath.osgi.runtime", "kura5");
    String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
    work = Path.of("target", "osgi-work", name + "-" + method).toAbsolutePath();
    deleteTree(work);
    GreenMail gm =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(
                GreenMailConfiguration.aConfig()
                    .withUser("gateway@example.org", SMTP_USER, SMTP_PASSWORD));
    gm.start();
    greenMail = gm;
    FaultProxy proxy = FaultProxy.to("127.0.0.1", gm.getSmtp().getPort());
    proxy.set(Fault.refuse());
    hostPath = proxy;

    // pairing: each side trusts the other's key, as the two people would have set it up
    Path gatewayData = work.resolve("gateway-data");
    Path laptopData = work.resolve("laptop");
    DeviceKeys gatewayKeys = DeviceKeys.loadOrCreate(gatewayData, GATEWAY);
    DeviceKeys laptopKeys = DeviceKeys.loadOrCreate(laptopData, LAPTOP);
    PairingStore.open(laptopData.resolve("peers.json"))
        .trust(GATEWAY, gatewayKeys.publicKeyBase64());

    OsgiRuntime o = OsgiRuntime.boot(work.resolve("framework"));
    osgi = o;
    Object admin = o.service("org.osgi.service.deploymentadmin.DeploymentAdmin");
    try (InputStream in =
        Files.newInputStream(Path.of(System.getProperty("twinpath.dp", "missing.dp")))) {
      deploymentPackage = call(admin, "installDeploymentPackage", in);
    }
    this.gatewayData = gatewayData;
    this.laptopPublicKey = laptopKeys.publicKeyBase64();

    // the SMS notice test's items were queued long ago, so their notice is due at once
    java.time.Clock laptopClock =
        method.contains("Sms")
            ? java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-30))
            : java.time.Clock.systemUTC();
    Spool spool =
        Spool.open(
            laptopData.resolve("spool"),
            io.twinpath.core.spool.SpoolOptions.builder().clock(laptopClock).build());
    laptopSpool = spool;
    laptop =
        Coordinator.builder()
            .device(LAPTOP)
            .order(List.of(LAPTOP, GATEWAY))
            .dataDir(laptopData)
            .broker(
                LinkSettings.builder()
                    .brokerUrl(mqtt.url())
                    .device(LAPTOP)
                    .role("host")
                    .dataDir(laptopData)
                    .build())
            .spool(spool)
            .sender(
                SmtpSender.create(
                    SmtpSettings.builder()
                        .host("127.0.0.1")
                        .port(proxy.port())
                        .tls(SmtpSettings.TlsMode.NONE)
                        .connectTimeout(Duration.ofSeconds(2))
                        .readTimeout(Duration.ofSeconds(5))
                        .writeTimeout(Duration.ofSeconds(5))
                        .build()))
            .listener(
                new TwinpathListener() {
                  @Override
                  public void attemptFailed(
                      ItemId item, DeviceId device, FailureClass failure, String reason) {
                    laptopEvents.add("attemptFailed " + device + " " + failure);
                  }
                })
            .settings(
                CoordinatorSettings.builder()
                    .takeoverDelay(Duration.ofSeconds(2))
                    .initialBackoff(Duration.ofMillis(500))
                    .maxBackoff(Duration.ofSeconds(2))
                    .build())
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (laptop != null) {
      laptop.close();
    }
    if (laptopSpool != null) {
      laptopSpool.close();
    }
    OsgiRuntime o = osgi;
    if (o != null) {
      if (deploymentPackage != null) {
        call(deploymentPackage, "uninstall");
      }
      String frameworkLog = o.frameworkLog();
      if (!frameworkLog.isEmpty()) {
        System.out.println("framework log:\n" + frameworkLog);
      }
      o.close();
    }
    if (hostPath != null) {
      hostPath.close();
    }
    if (greenMail != null) {
      greenMail.stop();
    }
  }

  private Coordinator laptop() {
    Coordinator c = laptop;
    assertThat(c).isNotNull();
    return c;
  }

  private GreenMail greenMail() {
    GreenMail g = greenMail;
    assertThat(g).isNotNull();
    return g;
  }

  /** Configures the gateway through Config Admin, as Kura does when the form is saved. */
  private void configureGateway(String path) throws Exception {
    configureGateway(path, Map.of());
  }

  private void configureGateway(String path, Map<String, Object> more) throws Exception {
    OsgiRuntime o = osgi;
    assertThat(o).isNotNull();
    Dictionary<String, Object> p = new Hashtable<>();
    p.put("kura.service.pid", TwinpathKura.PID);
    p.put("device.id", GATEWAY.value());
    p.put("peers", LAPTOP.value());
    p.put("peers.public-key", laptopPublicKey);
    p.put("data.dir", gatewayData.toString());
    p.put("broker", mqtt.url());
    p.put("takeover.delay", "2s");
    p.put("path", path);
    if (path.equals("interface")) {
      p.put("path.bind-address", "127.0.0.1");
    }
    p.put("smtp.host", "127.0.0.1");
    p.put("smtp.port", greenMail().getSmtp().getPort());
    p.put("smtp.tls", "none");
    p.put("smtp.timeout", "10s");
    p.put("smtp.username", SMTP_USER);
    p.put("smtp.password", new String(new StandInCrypto().encryptAes(SMTP_PASSWORD.toCharArray())));
    more.forEach(p::put);
    Object cm = o.service("org.osgi.service.cm.ConfigurationAdmin");
    call(call(cm, "getConfiguration", TwinpathKura.PID, "?"), "update", p);
  }

  private OutboundItem queueOnLaptop(String subject) throws Exception {
    byte[] message =
        ("Message-ID: <"
                + subject
                + "@example.org>\r\n"
                + "Date: Thu, 26 Nov 2026 12:00:00 +0000\r\n"
                + "From: me@example.org\r\nTo: a@example.org\r\nSubject: "
                + subject
                + "\r\n\r\nThe laptop's network blocks port 587 today.\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    Spool spool = laptopSpool;
    assertThat(spool).isNotNull();
    OutboundItem item =
        spool.enqueue(
            Envelope.of("me@example.org", List.of("a@example.org")),
            new ByteArrayInputStream(message),
            Instant.now().plus(Duration.ofHours(1)),
            LAPTOP);
    laptop().submit(item);
    return item;
  }

  @Test
  void theGatewayTakesOverAFailedHostSendAndDeliversItExactlyOnce() throws Exception {
    configureGateway("interface");
    await().atMost(WAIT).until(() -> "online".equals(laptop().status().peers().get(GATEWAY)));
    OutboundItem item = queueOnLaptop("kura-failover");

    await().atMost(WAIT).until(() -> laptop().outcome(item.id()).isPresent());
    DeviceStatus.Outcome outcome = laptop().outcome(item.id()).orElseThrow();
    assertThat(outcome.result()).isEqualTo("delivered");
    assertThat(outcome.path()).as("the path that carried it").isEqualTo(GATEWAY);
    assertThat(laptopEvents)
        .as("the host tried its own path first, and it was refused")
        .contains("attemptFailed laptop TEMPORARY");

    // exactly once: one message arrives and no second one follows
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> greenMail().getReceivedMessages().length == 1);
    MimeMessage received = greenMail().getReceivedMessages()[0];
    assertThat(received.getMessageID()).isEqualTo("<kura-failover@example.org>");
    Spool spool = laptopSpool;
    assertThat(spool).isNotNull();
    await().atMost(WAIT).until(() -> spool.list().isEmpty());

    OsgiRuntime o = osgi;
    assertThat(o).isNotNull();
    String log = o.log();
    assertThat(log)
        .contains("Twinpath secondary gateway runs on " + mqtt.url() + " (interface path)");
    assertThat(log)
        .as("the SMTP password was decrypted and used (GreenMail checks it) but never logged")
        .contains("passwords set: smtp.password")
        .doesNotContain(SMTP_PASSWORD);
  }

  @Test
  void aConfigurationChangedLiveKeepsTheCopyTheGatewayHolds() throws Exception {
    // first without a path: the gateway takes a copy, cannot send, and passes its turns on
    configureGateway("none");
    await().atMost(WAIT).until(() -> "online".equals(laptop().status().peers().get(GATEWAY)));
    OutboundItem item = queueOnLaptop("kura-reconfigured");
    Path copies = gatewayData.resolve("spool");
    await()
        .atMost(WAIT)
        .until(() -> laptopEvents.stream().filter(e -> e.startsWith("attemptFailed")).count() >= 2);
    assertThat(laptop().outcome(item.id())).isEmpty();
    assertThat(greenMail().getReceivedMessages()).isEmpty();
    try (var files = Files.walk(copies)) {
      assertThat(files.anyMatch(f -> f.toString().contains(item.id().toString())))
          .as("the gateway holds a copy in its spool")
          .isTrue();
    }

    // the operator gives the gateway its cellular path in the console: applied live
    configureGateway("interface");

    await().atMost(WAIT).until(() -> laptop().outcome(item.id()).isPresent());
    DeviceStatus.Outcome outcome = laptop().outcome(item.id()).orElseThrow();
    assertThat(outcome.result()).isEqualTo("delivered");
    assertThat(outcome.path()).isEqualTo(GATEWAY);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> greenMail().getReceivedMessages().length == 1);
    OsgiRuntime o = osgi;
    assertThat(o).isNotNull();
    assertThat(o.log()).contains("Twinpath secondary gateway stopped");
  }

  /**
   * Inbound mail: the gateway, configured with the form's inbound settings (the mailbox password
   * stored encrypted, as Kura keeps it), fetches the mailbox on GreenMail over its path and holds
   * the message in its data directory for the laptop.
   */
  @Test
  void theGatewayFetchesInboundMailAndHoldsItForTheHost() throws Exception {
    String mailboxPassword = "Mailbox-Pa55-only-Kura-knows";
    GreenMail imap =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort())
            .withConfiguration(
                GreenMailConfiguration.aConfig().withUser("me@example.org", "me", mailboxPassword));
    imap.start();
    try {
      MimeMessage m = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()));
      m.setFrom("friend@example.org");
      m.setRecipients(jakarta.mail.Message.RecipientType.TO, "me@example.org");
      m.setSubject("kura-inbound while you were away");
      m.setText("Held by the gateway.");
      imap.getUserManager().getUser("me").deliver(m);

      configureGateway(
          "interface",
          Map.of(
              "inbound.protocol",
              "imap",
              "inbound.tls",
              "none",
              "inbound.host",
              "127.0.0.1",
              "inbound.port",
              imap.getImap().getPort(),
              "inbound.username",
              "me",
              "inbound.password",
              new String(new StandInCrypto().encryptAes(mailboxPassword.toCharArray())),
              "inbound.policy",
              "always",
              "inbound.poll",
              "10s"));
      OsgiRuntime o = osgi;
      assertThat(o).isNotNull();
      Path held = gatewayData.resolve("inbound");
      await().atMost(WAIT).until(() -> holds(held, "Subject: kura-inbound while you were away"));
      String log = o.log();
      assertThat(log)
          .contains("fetching inbound mail from 127.0.0.1:" + imap.getImap().getPort() + " (imap)")
          .contains("over the interface of 127.0.0.1 always")
          .contains("passwords set: inbound.password")
          .doesNotContain(mailboxPassword);
    } finally {
      imap.stop();
    }
  }

  private static boolean holds(Path dir, String text) throws Exception {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    byte[] id = text.getBytes(StandardCharsets.US_ASCII);
    try (var files = Files.walk(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".eml")).toList()) {
        byte[] b = Files.readAllBytes(f);
        if (indexOf(b, id) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= data.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * One test for everything the modem path does, since one JVM can load the serial library's native
   * part into one framework's class loader only: the SIM PIN is entered, an SMS notice goes out
   * while cellular data is down, and the mail goes out through the modem once data returns.
   */
  @Test
  void theGatewayTellsBySmsWhileDataIsDownThenDeliversThroughItsModem() throws Exception {
    String pin = "27182818";
    try (PtyPair pty = PtyPair.open();
        ModemSimulator sim =
            ModemSimulator.attach(
                pty.b().toString(),
                SimConfig.builder(Dialect.SIM7600).pin(pin).dataService(false).build())) {
      configureGateway(
          "modem",
          Map.of(
              "modem.port",
              pty.a().toString(),
              "modem.dialect",
              "sim7600",
              "modem.apn",
              "internet",
              "modem.pin",
              new String(new StandInCrypto().encryptAes(pin.toCharArray())),
              "modem.poll",
              "1s",
              "sms.numbers",
              "+4915112345678",
              "sms.delay",
              "15m"));
      OsgiRuntime o = osgi;
      assertThat(o).isNotNull();
      await().atMost(WAIT).until(() -> "online".equals(laptop().status().peers().get(GATEWAY)));

      // queued 30 minutes ago (the laptop's clock): the notice is due as soon as the copy is here
      OutboundItem item = queueOnLaptop("kura-modem");
      await().atMost(WAIT).until(() -> !sim.sentSms().isEmpty());
      assertThat(sim.sentSms()).extracting(s -> s.number()).containsExactly("+4915112345678");
      assertThat(sim.sentTexts().get(0))
          .contains("Mail queued, not sent (no mobile data)")
          .contains("From me@example.org to a@example.org")
          .contains("Subject: kura-modem");
      assertThat(laptop().outcome(item.id())).as("the mail stays queued").isEmpty();
      assertThat(sim.simState()).as("the PIN unlocked the SIM").isEqualTo(SimCardState.READY);

      sim.setDataService(true);
      await().atMost(WAIT).until(() -> o.log().contains("modem ready on " + pty.a()));
      await().atMost(WAIT).until(() -> laptop().outcome(item.id()).isPresent());
      DeviceStatus.Outcome outcome = laptop().outcome(item.id()).orElseThrow();
      assertThat(outcome.result()).isEqualTo("delivered");
      assertThat(outcome.path()).isEqualTo(GATEWAY);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> greenMail().getReceivedMessages().length == 1);
      assertThat(greenMail().getReceivedMessages()[0].getMessageID())
          .isEqualTo("<kura-modem@example.org>");
      assertThat(sim.sentSms()).as("one notice, not one per check").hasSize(1);
      String log = o.log();
      assertThat(log).contains("runs on " + mqtt.url() + " (modem path)");
      assertThat(log).as("the PIN is never logged").doesNotContain(pin);
      assertThat(log).doesNotContain(SMTP_PASSWORD);
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
