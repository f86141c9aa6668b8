package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.host.internal.HostDaemon;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.testing.HostFixture;
import io.twinpath.testing.SystemComponents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mail clients (Debian's swaks and msmtp) submit through the loopback listener. */
class ListenerClientsIT {
  @TempDir Path home;
  HostDaemon daemon;
  HostFixture host;

  @BeforeEach
  void start() throws Exception {
    host = new HostFixture(home, "broker tcp://127.0.0.1:1\nlisten 127.0.0.1:0\nsize_limit 64K\n");
    HostConfig config = ConfigLoader.load(host.configFile(), host.dirs());
    daemon = HostDaemon.start(config, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  record Run(int exit, String output) {}

  private static Run exec(Path stdin, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectInput(stdin.toFile());
    pb.environment().put("HOME", stdin.getParent().toString()); // no ~/.msmtprc or ~/.swaksrc
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  private List<OutboundItem> queued() {
    List<OutboundItem> items = new ArrayList<>();
    daemon.queue().ids().forEach(e -> items.add(itemOf(e.getAsString())));
    return items;
  }

  private OutboundItem itemOf(String id) {
    try {
      return daemon.queue().item(id);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String bytesOf(OutboundItem item) throws IOException {
    try (InputStream in = daemon.queue().open(item.id())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Path message(String name, String text) throws IOException {
    Path f = home.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void swaksSubmitsAndTheMessageIsQueuedAsSent() throws Exception {
    Path swaks = SystemComponents.requireCommand("swaks", "swaks");
    Path body =
        message(
            "swaks.eml",
            "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: via swaks\r\n"
                + "Message-ID: <swaks-1@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
                + "\r\n.leading dot\r\nUTF-8 body: Grüße\r\n");
    Run r =
        exec(
            body,
            List.of(
                swaks.toString(),
                "--server",
                "127.0.0.1",
                "--port",
                String.valueOf(daemon.listenerPort()),
                "--from",
                "alice@example.org",
                "--to",
                "bob@example.org,carol@example.org",
                "--data",
                "-",
                "--helo",
                "laptop.example"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("<-  250 2.0.0 Ok: queued as ");
    List<OutboundItem> items = queued();
    assertThat(items).hasSize(1);
    assertThat(items.get(0).envelope().recipients())
        .containsExactly("bob@example.org", "carol@example.org");
    assertThat(items.get(0).messageId()).isEqualTo("<swaks-1@example.org>");
    // nothing added (it had Message-ID and Date); swaks itself ends DATA with one more CRLF
    assertThat(bytesOf(items.get(0))).isEqualTo(Files.readString(body) + "\r\n");
    assertThat(r.output()).contains(items.get(0).id().toString());
  }

  @Test
  void msmtpSubmitsAndTheMessageIsQueued() throws Exception {
    Path msmtp = SystemComponents.requireCommand("msmtp", "msmtp");
    Path body =
        message(
            "msmtp.eml",
            "From: alice@example.org\nTo: bob@example.org\nSubject: via msmtp\n\nhello\n");
    Run r =
        exec(
            body,
            List.of(
                msmtp.toString(),
                "--host=127.0.0.1",
                "--port=" + daemon.listenerPort(),
                "--auth=off",
                "--tls=off",
                "--from=alice@example.org",
                "bob@example.org"));
    assertThat(r.exit()).as(r.output()).isZero();
    List<OutboundItem> items = queued();
    assertThat(items).hasSize(1);
    assertThat(items.get(0).envelope().mailFrom()).isEqualTo("alice@example.org");
    // msmtp adds Date and Message-ID itself; the rest is the file's, with CRLF
    assertThat(bytesOf(items.get(0)))
        .startsWith("Date: ")
        .contains("\r\nMessage-ID: " + items.get(0).messageId() + "\r\n")
        .endsWith(
            "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: via msmtp\r\n\r\nhello\r\n");
  }

  @Test
  void aMessageOverTheSizeLimitIsRefusedWith552() throws Exception {
    Path swaks = SystemComponents.requireCommand("swaks", "swaks");
    Path body =
        message(
            "big.eml",
            "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: big\r\n\r\n"
                + ("x".repeat(76) + "\r\n").repeat(1000));
    Run r =
        exec(
            body,
            List.of(
                swaks.toString(),
                "--server",
                "127.0.0.1",
                "--port",
                String.valueOf(daemon.listenerPort()),
                "--from",
                "alice@example.org",
                "--to",
                "bob@example.org",
                "--data",
                "-"));
    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.output())
        .contains("250-SIZE 65536")
        .contains("552 5.3.4 Message exceeds the size limit of 65536 bytes");
    assertThat(queued()).isEmpty();

    Path msmtp = SystemComponents.requireCommand("msmtp", "msmtp");
    Run m =
        exec(
            body,
            List.of(
                msmtp.toString(),
                "--host=127.0.0.1",
                "--port=" + daemon.listenerPort(),
                "--auth=off",
                "--tls=off",
                "--from=alice@example.org",
                "bob@example.org"));
    assertThat(m.exit()).isNotZero();
    assertThat(m.output()).contains("552");
    assertThat(queued()).isEmpty();
  }
}
