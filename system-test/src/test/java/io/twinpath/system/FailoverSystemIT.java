package io.twinpath.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.modemsim.Dialect;
import io.twinpath.modemsim.ModemSimulator;
import io.twinpath.modemsim.SimConfig;
import io.twinpath.testing.FreePorts;
import io.twinpath.testing.PtyPair;
import io.twinpath.testing.SystemComponents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole product as a user meets it: the real {@code twinpath-host} in its own network
 * namespace, the real {@code twinpath-dongle} with its embedded broker driving the simulated modem
 * on a pty, Postfix (submission, SASL, STARTTLS) and Dovecot behind two separate routes. Mail is
 * submitted by real clients (swaks to the loopback listener, {@code twinpath-host sendmail}); the
 * host's link is taken down mid-run with {@code ip link set … down}.
 */
class FailoverSystemIT {
  private static final Duration DELIVERY = Duration.ofSeconds(90);

  @Test
  void everyMessageArrivesExactlyOnceOverWhicheverRouteIsUp() throws Exception {
    Path swaks = SystemComponents.requireCommand("swaks", "swaks");
    SystemComponents.requireCommand("keytool", "a JDK");
    try (MailLab lab = MailLab.up();
        PtyPair pty = PtyPair.open()) {
      Path dir = lab.directory();
      Path trust = dir.resolve("trust.p12");
      MailLab.exec(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
              "-importcert",
              "-noprompt",
              "-alias",
              "lab-ca",
              "-file",
              lab.caCertificate().toString(),
              "-keystore",
              trust.toString(),
              "-storetype",
              "PKCS12",
              "-storepass",
              "changeit"));

      // the modem: a SIM7600 whose sockets reach the mail server over the cellular route
      ModemSimulator modem =
          ModemSimulator.attach(pty.b().toString(), SimConfig.builder(Dialect.SIM7600).build());
      try (modem) {
        int brokerPort = FreePorts.pick();
        Path dongleHome = Files.createDirectories(dir.resolve("dongle"));
        Path dongleConf = dongleHome.resolve("dongle.conf");
        Files.writeString(
            dongleConf,
            String.join(
                "\n",
                "device.id = dongle",
                "peers = laptop",
                "data.dir = " + dongleHome.resolve("data"),
                "broker.address = " + lab.usbRoot(),
                "broker.port = " + brokerPort,
                "takeover.delay = 2s",
                "modem.port = " + pty.a(),
                "modem.dialect = sim7600",
                "modem.apn = internet",
                "smtp.host = " + lab.mailFromCell(),
                "smtp.port = 587",
                "smtp.tls = starttls",
                "smtp.username = alice@twinpath.test",
                "smtp.password = secret",
                "smtp.truststore = " + trust,
                "smtp.truststore-password = changeit",
                ""),
            StandardCharsets.UTF_8);

        Path hostHome = Files.createDirectories(dir.resolve("host"));
        Path hostConf = hostHome.resolve("host.conf");
        int listen = 2525;
        Files.writeString(
            hostConf,
            String.join(
                "\n",
                "account lab",
                "host " + lab.mailFromHost(),
                "port 587",
                "tls starttls",
                "timeout 5s",
                "user alice@twinpath.test",
                "password secret",
                "from alice@twinpath.test",
                "",
                "twinpath",
                "account lab",
                "device laptop",
                "peers dongle",
                "broker tcp://" + lab.usbRoot() + ":" + brokerPort,
                "data_dir " + hostHome.resolve("data"),
                "maildir " + hostHome.resolve("Maildir"),
                "listen " + listen,
                "backoff 1s",
                "backoff_max 5s",
                ""),
            StandardCharsets.UTF_8);
        Map<String, String> hostEnv = new HashMap<>();
        hostEnv.put("HOME", hostHome.toString());
        hostEnv.put("XDG_CONFIG_HOME", hostHome.resolve("config").toString());
        hostEnv.put("XDG_DATA_HOME", hostHome.resolve("share").toString());
        List<String> hostJvm =
            List.of(
                "-Djavax.net.ssl.trustStore=" + trust,
                "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12");
        Path hostJar = AppProcess.jar("host-agent", "twinpath-host-agent");
        Path dongleJar = AppProcess.jar("dongle-app", "twinpath-dongle-app");
        Map<String, String> dongleEnv = Map.of("HOME", dongleHome.toString());

        // pairing, as a user does it: each side shows its key, the other trusts it
        String hostKey =
            publicKey(
                AppProcess.run(
                        AppProcess.java(
                            hostJar, hostJvm, List.of("pair", "--config", hostConf.toString())),
                        hostEnv,
                        new byte[0])
                    .ok("twinpath-host pair")
                    .output);
        String dongleKey =
            publicKey(
                AppProcess.run(
                        AppProcess.java(
                            dongleJar,
                            List.of(),
                            List.of("pair", "--config", dongleConf.toString())),
                        dongleEnv,
                        new byte[0])
                    .ok("twinpath-dongle pair")
                    .output);
        AppProcess.run(
                AppProcess.java(
                    dongleJar,
                    List.of(),
                    List.of("pair", "--config", dongleConf.toString(), "laptop", hostKey)),
                dongleEnv,
                new byte[0])
            .ok("twinpath-dongle pair laptop");
        AppProcess.run(
                AppProcess.java(
                    hostJar,
                    hostJvm,
                    List.of("pair", "--config", hostConf.toString(), "dongle", dongleKey)),
                hostEnv,
                new byte[0])
            .ok("twinpath-host pair dongle");

        try (AppProcess dongle =
                AppProcess.start(
                    "dongle",
                    AppProcess.java(
                        dongleJar,
                        List.of("-Xmx64m"),
                        List.of("run", "--config", dongleConf.toString())),
                    dongleEnv,
                    dir);
            AppProcess host =
                AppProcess.start(
                    "host",
                    lab.inHostNamespace(
                        AppProcess.java(
                            hostJar, hostJvm, List.of("run", "--config", hostConf.toString()))),
                    hostEnv,
                    dir)) {
          await("both daemons up")
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> dongle.output().contains("running") && host.output().contains("running"));

          // 1. the host's own route is up: a real client submits to the loopback listener
          MailLab.exec(
              lab.inHostNamespace(
                  List.of(
                      swaks.toString(),
                      "--server",
                      "127.0.0.1:" + listen,
                      "--from",
                      "alice@twinpath.test",
                      "--to",
                      "bob@twinpath.test",
                      "--h-Subject",
                      "one: host path",
                      "--timeout",
                      "30")));
          await("first message delivered")
              .atMost(DELIVERY)
              .until(() -> lab.mailbox("bob").size() == 1);

          // 2. the host's link goes down; sendmail queues; the dongle delivers over the modem
          lab.cutHostRoute();
          byte[] message =
              ("From: alice@twinpath.test\r\nTo: bob@twinpath.test\r\nSubject: two: via the modem\r\n\r\n"
                      + "Sent while the laptop's own network was down.\r\n")
                  .getBytes(StandardCharsets.UTF_8);
          AppProcess.run(
                  lab.inHostNamespace(
                      AppProcess.java(
                          hostJar,
                          hostJvm,
                          List.of("sendmail", "-C", hostConf.toString(), "-t", "-i"))),
                  hostEnv,
                  message)
              .ok("twinpath-host sendmail");
          await("second message delivered over the cellular route")
              .atMost(DELIVERY)
              .until(() -> lab.mailbox("bob").size() == 2);
          assertThat(lab.postfixLog()).contains("client=unknown[" + lab.get("CELL_ADDR") + "]");
          assertThat(modem.tcpBytesSent()).isPositive();

          // exactly once: two distinct Message-IDs, each once
          List<String> ids = messageIds(lab.mailbox("bob"));
          assertThat(ids).hasSize(2).doesNotHaveDuplicates();

          // status shows which path carried each, and no copy is left on either device
          String status =
              AppProcess.run(
                      lab.inHostNamespace(
                          AppProcess.java(
                              hostJar,
                              hostJvm,
                              List.of("status", "--json", "--config", hostConf.toString()))),
                      hostEnv,
                      new byte[0])
                  .ok("twinpath-host status")
                  .output;
          assertThat(status).contains("dongle").contains("laptop");
          await("no copy left")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      spooled(hostHome.resolve("data")) == 0
                          && spooled(dongleHome.resolve("data")) == 0);
        } finally {
          lab.healHostRoute();
        }
      }
    }
  }

  private static String publicKey(String pairOutput) {
    Matcher m = Pattern.compile("public key\\s+(\\S+)").matcher(pairOutput);
    if (!m.find()) {
      throw new IllegalStateException("no public key in:\n" + pairOutput);
    }
    return m.group(1);
  }

  private static List<String> messageIds(List<Path> files) throws IOException {
    List<String> ids = new ArrayList<>();
    Pattern p = Pattern.compile("(?im)^Message-ID:\\s*(\\S+)");
    for (Path f : files) {
      Matcher m = p.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }

  /** Message files still held in a device's spool. */
  private static long spooled(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dataDir)) {
      return s.filter(p -> p.getFileName().toString().equals("message.eml")).count();
    }
  }
}
