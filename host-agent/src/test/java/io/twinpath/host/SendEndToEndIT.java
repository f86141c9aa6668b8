package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.twinpath.core.spool.Spool;
import io.twinpath.host.internal.HostDaemon;
import io.twinpath.host.internal.config.ConfigException;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.control.ControlServer;
import io.twinpath.host.internal.queue.QueueOps;
import io.twinpath.host.testing.HostFixture;
import io.twinpath.testing.MosquittoExtension;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole host: sendmail queues, the daemon's send engine delivers over this laptop's account,
 * and {@code status} shows the outcome with the path; a permanent refusal becomes a bounce in the
 * Maildir.
 */
class SendEndToEndIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final String MESSAGE =
      "From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: end to end\n\nhello\n";

  private static JsonObject status(HostFixture host) {
    HostFixture.Result r = host.run("", "status", "--json", "--no-broker");
    assertThat(r.exit()).as(r.err()).isZero();
    return new Gson().fromJson(r.out(), JsonObject.class);
  }

  @Test
  void deliveredOverThisLaptopsAccountAndShownInStatus(@TempDir Path home) throws Exception {
    GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    greenMail.start();
    try {
      HostFixture host =
          new HostFixture(
              home,
              "account local\nhost 127.0.0.1\nport "
                  + greenMail.getSmtp().getPort()
                  + "\ntls off\nfrom alice@example.org\n",
              "broker " + mqtt.url() + "\n");
      HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
      try (HostDaemon daemon = HostDaemon.start(config, Clock.systemUTC())) {
        HostFixture.Result r = host.run(MESSAGE, "sendmail", "-i", "bob@example.org");
        assertThat(r.exit()).as(r.err()).isZero();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> greenMail.getReceivedMessages().length == 1);
        daemon.flush();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> status(host).getAsJsonArray("recent").size() == 1);
        JsonObject s = status(host);
        JsonObject outcome = s.getAsJsonArray("recent").get(0).getAsJsonObject();
        assertThat(outcome.get("outcome").getAsString()).isEqualTo("delivered");
        assertThat(outcome.get("path").getAsString()).isEqualTo("laptop");
        assertThat(outcome.get("reply").getAsString()).startsWith("250");
        assertThat(outcome.getAsJsonArray("to").get(0).getAsString()).isEqualTo("bob@example.org");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> status(host).getAsJsonArray("queue").isEmpty());
        assertThat(host.run("", "status").out())
            .contains("delivered  via laptop")
            .contains("Queue: empty");
      }
    } finally {
      greenMail.stop();
    }
  }

  /** When the daemon that takes sendmail's message dies without answering. */
  enum Death {
    /** Before it stores the message. */
    BEFORE_STORING,
    /** After it stored the message. */
    AFTER_STORING,
    /** After it stored the message, and the next daemon delivered it before sendmail asks. */
    AFTER_STORING_AND_NEXT_DAEMON_DELIVERED
  }

  /**
   * The daemon stores the message and dies before it answers (its spool lock and control socket go
   * with it): sendmail finds the message queued and exits 0, and it is delivered once.
   */
  @Test
  void sendmailExitsZeroWhenTheDaemonDiesBetweenQueueingAndAnswering(@TempDir Path home)
      throws Exception {
    answerLost(home, Death.AFTER_STORING);
  }

  /** The daemon takes the message and dies before storing it: sendmail queues it itself. */
  @Test
  void sendmailQueuesItselfWhenTheDaemonDiesBeforeQueueing(@TempDir Path home) throws Exception {
    answerLost(home, Death.BEFORE_STORING);
  }

  /**
   * The daemon stores the message and dies; the next one delivers it before sendmail asks: the
   * outcome says it was queued, so sendmail exits 0 and does not queue it again.
   */
  @Test
  void sendmailExitsZeroWhenTheNextDaemonDeliveredItAlready(@TempDir Path home) throws Exception {
    answerLost(home, Death.AFTER_STORING_AND_NEXT_DAEMON_DELIVERED);
  }

  private static void answerLost(Path home, Death death) throws Exception {
    GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    greenMail.start();
    AtomicReference<HostDaemon> next = new AtomicReference<>();
    try {
      HostFixture host =
          new HostFixture(
              home,
              "account local\nhost 127.0.0.1\nport "
                  + greenMail.getSmtp().getPort()
                  + "\ntls off\nfrom alice@example.org\n",
              "broker " + mqtt.url() + "\n");
      HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
      Spool spool = Spool.open(config.spoolDir());
      AtomicReference<ControlServer> control = new AtomicReference<>();
      AtomicInteger requests = new AtomicInteger();
      AtomicReference<String> stored = new AtomicReference<>("");
      control.set(
          ControlServer.start(
              config.controlSocket(),
              (request, body) -> {
                requests.incrementAndGet();
                if (death == Death.BEFORE_STORING) {
                  body.readAllBytes();
                } else {
                  JsonObject answer =
                      new QueueOps(spool, config, Clock.systemUTC(), QueueOps.Engine.NONE, true)
                          .handle(request, body);
                  stored.set(answer.has("id") ? answer.get("id").getAsString() : answer.toString());
                }
                // the daemon dies here: lock and socket are gone, the answer never comes
                spool.close();
                control.get().close();
                if (death == Death.AFTER_STORING_AND_NEXT_DAEMON_DELIVERED) {
                  try {
                    next.set(HostDaemon.start(config, Clock.systemUTC()));
                  } catch (ConfigException e) {
                    throw new IOException(e);
                  }
                  await()
                      .atMost(Duration.ofSeconds(30))
                      .until(
                          () -> {
                            JsonObject st = status(host);
                            return st.getAsJsonArray("recent").size() == 1
                                && st.getAsJsonArray("queue").isEmpty();
                          });
                }
                throw new IOException("died before answering");
              }));
      HostFixture.Result r = sendmailProcess(host, MESSAGE, "-i", "-v", "bob@example.org");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(requests).hasValue(1);
      if (death == Death.AFTER_STORING_AND_NEXT_DAEMON_DELIVERED) {
        assertThat(r.err()).contains("queued " + stored.get());
        assertThat(status(host).getAsJsonArray("queue")).isEmpty();
        assertThat(status(host).getAsJsonArray("recent")).hasSize(1);
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        return;
      }
      String id;
      try (Spool after = Spool.open(config.spoolDir())) {
        assertThat(after.list()).hasSize(1);
        id = after.list().get(0).id().toString();
      }
      assertThat(r.err()).contains("queued " + id);
      if (death == Death.AFTER_STORING) {
        assertThat(id).as("the copy the daemon stored, not a second one").isEqualTo(stored.get());
      }

      try (HostDaemon daemon = HostDaemon.start(config, Clock.systemUTC())) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> greenMail.getReceivedMessages().length >= 1);
        daemon.flush();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> status(host).getAsJsonArray("queue").isEmpty());
        // nothing is left to send: what arrived is all that ever arrives
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("end to end");
      }
    } finally {
      HostDaemon daemon = next.get();
      if (daemon != null) {
        daemon.close();
      }
      greenMail.stop();
    }
  }

  /** Runs {@code twinpath-host sendmail ARGS} as its own process: its real exit status. */
  private static HostFixture.Result sendmailProcess(HostFixture host, String stdin, String... args)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TwinpathHost.class.getName(),
                "sendmail",
                "-C",
                host.configFile().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(host.home(), "sendmail", ".out");
    Path err = Files.createTempFile(host.home(), "sendmail", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("XDG_"));
    pb.environment().put("HOME", host.home().toString());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new HostFixture.Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A submission server that refuses every recipient for good. */
  static final class RefusingServer implements AutoCloseable {
    final ServerSocket server;
    final Thread thread;

    RefusingServer() throws Exception {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      thread =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    serve(s);
                  } catch (Exception e) {
                    // next connection, or closed
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    static void serve(Socket s) throws Exception {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      out.write("220 refuser.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
      String line;
      while ((line = in.readLine()) != null) {
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line;
        String reply;
        switch (verb) {
          case "EHLO":
            reply = "250-refuser.example\r\n250 8BITMIME";
            break;
          case "RCPT":
            reply = "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown";
            break;
          case "QUIT":
            out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
            return;
          case "DATA":
            reply = "554 5.5.1 No valid recipients";
            break;
          default:
            reply = "250 ok";
        }
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
    }
  }

  @Test
  void a550BecomesABounceInTheMaildirAndAFailureInStatus(@TempDir Path home) throws Exception {
    try (RefusingServer refuser = new RefusingServer()) {
      HostFixture host =
          new HostFixture(
              home,
              "account local\nhost 127.0.0.1\nport " + refuser.port() + "\ntls off\n",
              "broker " + mqtt.url() + "\n");
      HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
      try (HostDaemon daemon = HostDaemon.start(config, Clock.systemUTC())) {
        HostFixture.Result r = host.run(MESSAGE, "sendmail", "-i", "bob@example.org");
        assertThat(r.exit()).as(r.err()).isZero();
        Path newDir = host.maildir().resolve("new");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Files.isDirectory(newDir) && list(newDir).size() == 1);
        daemon.flush();

        MimeMessage bounce;
        try (InputStream in = Files.newInputStream(list(newDir).get(0))) {
          bounce = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(bounce.getSubject()).isEqualTo("Undelivered mail: end to end");
        assertThat(bounce.getContentType()).startsWith("multipart/report");
        Multipart parts = (Multipart) bounce.getContent();
        assertThat((String) parts.getBodyPart(0).getContent())
            .contains("bob@example.org")
            .contains("550 5.1.1")
            .contains("User unknown");
        String dsn =
            new String(
                parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dsn)
            .contains("Final-Recipient: rfc822; bob@example.org")
            .contains("Status: 5.1.1")
            .contains("Remote-MTA: dns; 127.0.0.1");

        JsonArray recent = status(host).getAsJsonArray("recent");
        assertThat(recent).hasSize(1);
        JsonObject failed = recent.get(0).getAsJsonObject();
        assertThat(failed.get("outcome").getAsString()).isEqualTo("failed");
        assertThat(failed.get("path").getAsString()).isEqualTo("laptop");
        assertThat(failed.get("bounce").getAsString()).contains("/Maildir/new/");
        assertThat(host.run("", "status").out()).contains("FAILED").contains("bounce delivered to");
      }
    }
  }

  private static List<Path> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
