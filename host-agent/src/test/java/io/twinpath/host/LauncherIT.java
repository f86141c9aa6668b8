package io.twinpath.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.Spool;
import io.twinpath.host.testing.HostFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher script, installed under the name sendmail (a symlink), as programs call it. */
class LauncherIT {
  static final Path SCRIPT = Path.of("src/main/dist/twinpath-host").toAbsolutePath();

  record Run(int exit, String out) {}

  static Run run(Path home, Path program, String stdin, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(program.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("XDG_CONFIG_HOME");
    pb.environment().remove("XDG_DATA_HOME");
    pb.environment().put("TWINPATH_HOST_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream o = p.getInputStream()) {
      o.transferTo(out);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void asSendmailItQueuesAndAsMailqItListsTheQueue(@TempDir Path home) throws Exception {
    HostFixture host = new HostFixture(home, "");
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path sendmail = Files.createSymbolicLink(bin.resolve("sendmail"), SCRIPT);
    Path mailq = Files.createSymbolicLink(bin.resolve("mailq"), SCRIPT);

    Run queued =
        run(
            home,
            sendmail,
            "From: alice@example.org\nSubject: from cron\n\nline\n.\nnot sent\n",
            "-oi",
            "-t",
            "bob@example.org");
    // -oi: the dot line is data; -t without To keeps the argument recipient
    assertThat(queued.exit()).as(queued.out()).isZero();
    assertThat(queued.out()).isEmpty();

    Run usage = run(home, sendmail, "", "-Z");
    assertThat(usage.exit()).isEqualTo(64);
    assertThat(usage.out()).contains("sendmail: unknown option -Z");

    Run list = run(home, mailq, "");
    assertThat(list.exit()).as(list.out()).isZero();
    assertThat(list.out()).contains("<alice@example.org> -> bob@example.org").contains("1 message");

    try (Spool spool = Spool.open(host.spoolDir())) {
      OutboundItem item = spool.list().get(0);
      try (InputStream in = spool.openMessage(item.id())) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .endsWith("\r\n\r\nline\r\n.\r\nnot sent\r\n");
      }
    }
  }
}
