package io.twinpath.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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
 * host's link is taken down mid-run with {@code ip link set … down}. Meanwhile mail arriving for
 * the user is fetched by the dongle (IMAPS through the simulated modem) and reaches the host's
 * Maildir.
 *
 * <p>Checked: each sent Message-ID is in Dovecot's mailbox exactly once; the host's status names
 * the path of each, and Postfix saw that message come from that path's address; the inbound message
 * is in the host's Maildir exactly once, its body came through the modem, and Dovecot saw the login
 * from the cellular address; no copy is left in either device's spool or inbound store.
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

      // mail for the user arrives at the provider (from inside the mail server's namespace): the
      // dongle is to fetch it over the cellular route; its body is large enough to tell its
      // bytes apart from the SMTP session's in the modem's counters
      Path body = dir.resolve("inbound-body.txt");
      Files.writeString(
          body,
          String.join("\n", java.util.Collections.nCopies(INBOUND_LINES, INBOUND_LINE)) + "\n",
          StandardCharsets.US_ASCII);
      MailLab.exec(
          lab.inMailNamespace(
              List.of(
                  swaks.toString(),
                  "--server",
                  "127.0.0.1:25",
                  "--from",
                  "carol@example.net",
                  "--to",
                  "alice@twinpath.test",
                  "--h-Subject",
                  "three: inbound",
                  "--body",
                  "@" + body,
                  "--timeout",
                  "30")));
      await("inbound message at the provider")
          .atMost(Duration.ofSeconds(30))
          .until(() -> lab.mailbox("alice").size() == 1);
      String inboundId = messageIds(lab.mailbox("alice")).get(0);

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
                "inbound.protocol = imap",
                "inbound.tls = implicit",
                "inbound.host = " + lab.mailFromCell(),
                "inbound.username = alice@twinpath.test",
                "inbound.password = secret",
                "inbound.truststore = " + trust,
                "inbound.truststore-password = changeit",
                "inbound.policy = always",
                "inbound.poll = 10s",
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
          // exactly once: two distinct Message-IDs, each once
          List<String> ids = messageIds(lab.mailbox("bob"));
          assertThat(ids).hasSize(2).doesNotHaveDuplicates();

          // status names the path of each, and Postfix saw each come from that path's address
          JsonObject status =
              new Gson()
                  .fromJson(
                      AppProcess.run(
                              lab.inHostNamespace(
                                  AppProcess.java(
                                      hostJar,
                                      hostJvm,
                                      List.of(
                                          "status", "--json", "--config", hostConf.toString()))),
                              hostEnv,
                              new byte[0])
                          .ok("twinpath-host status")
                          .output,
                      JsonObject.class);
          Map<String, String> clients = postfixClients(lab.postfixLog());
          Map<String, String> pathOf = new HashMap<>();
          for (JsonElement e : status.getAsJsonArray("recent")) {
            JsonObject o = e.getAsJsonObject();
            String id = bare(o.get("messageId").getAsString());
            assertThat(o.get("outcome").getAsString())
                .as("outcome of %s", id)
                .isEqualTo("delivered");
            Matcher q = Pattern.compile("queued as (\\w+)").matcher(o.get("reply").getAsString());
            assertThat(q.find()).as("Postfix's queue id in %s", o).isTrue();
            String path = o.get("path").getAsString();
            assertThat(clients.get(q.group(1)))
                .as("the client address Postfix logged for %s (via %s)", id, path)
                .isEqualTo(path.equals("dongle") ? lab.get("CELL_ADDR") : lab.get("HOST_ADDR"));
            pathOf.put(id, path);
          }
          assertThat(pathOf)
              .as("the host's status, by Message-ID")
              .containsOnlyKeys(ids.stream().map(FailoverSystemIT::bare).toList())
              .containsValues("laptop", "dongle");
          assertThat(modem.tcpBytesSent()).isPositive();

          // inbound: fetched by the dongle over the cellular route, in the host's Maildir once
          Path maildir = hostHome.resolve("Maildir");
          await("inbound message in the host's Maildir")
              .atMost(DELIVERY)
              .until(() -> messageIds(maildirFiles(maildir)).contains(inboundId));
          assertThat(modem.tcpBytesReceived())
              .as("the inbound message's body came through the modem")
              .isGreaterThan((long) INBOUND_LINES * INBOUND_LINE.length());
          assertThat(lab.dovecotLog())
              .as("Dovecot saw the dongle log in from the cellular address, over TLS")
              .containsPattern(
                  "imap-login: (Info: )?Login: user=<alice@twinpath\\.test>.*rip="
                      + Pattern.quote(lab.get("CELL_ADDR"))
                      + ",.*TLS")
              .doesNotContain("rip=" + lab.get("HOST_ADDR") + ",");

          // no copy left on either device: outbound spools and the dongle's inbound store
          await("no copy left")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      spooled(hostHome.resolve("data")) == 0
                          && spooled(dongleHome.resolve("data")) == 0);
          assertThat(messageIds(maildirFiles(maildir))).containsOnlyOnce(inboundId).hasSize(1);
          assertThat(messageIds(lab.mailbox("bob"))).hasSize(2);
        } finally {
          lab.healHostRoute();
        }
      }
    }
  }

  private static final int INBOUND_LINES = 1000;
  private static final String INBOUND_LINE =
      "Mail for the user, fetched by the dongle over the cellular route.";

  /** Postfix's queue id to the client address it logged for it. */
  private static Map<String, String> postfixClients(String log) {
    Map<String, String> m = new HashMap<>();
    Matcher c = Pattern.compile("(\\w+): client=[^\\[]*\\[([^\\]]+)\\]").matcher(log);
    while (c.find()) {
      m.put(c.group(1), c.group(2));
    }
    return m;
  }

  private static String bare(String messageId) {
    return messageId.replaceAll("^<|>$", "");
  }

  /** The files of a Maildir's new/ and cur/. */
  private static List<Path> maildirFiles(Path maildir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String sub : List.of("new", "cur")) {
      Path d = maildir.resolve(sub);
      if (Files.isDirectory(d)) {
        try (Stream<Path> s = Files.list(d)) {
          s.forEach(files::add);
        }
      }
    }
    return files;
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

  /**
   * Message files still held on a device: outbound spool items and inbound messages held for (or
   * being received from) a peer.
   */
  private static long spooled(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dataDir)) {
      return s.filter(
              p -> {
                String name = p.getFileName().toString();
                Path parent = p.getParent();
                String in = parent == null ? "" : parent.getFileName().toString();
                return name.equals("message.eml")
                    || (name.endsWith(".eml") && in.equals("held"))
                    || name.endsWith(".part");
              })
          .count();
    }
  }
}
