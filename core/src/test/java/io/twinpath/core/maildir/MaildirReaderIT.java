package io.twinpath.core.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.testing.SystemComponents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Maildir reader that is not ours (mblaze) sees what {@link Maildir} delivers. */
class MaildirReaderIT {
  @TempDir Path dir;

  private static String run(Path cwd, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.redirectErrorStream(true);
    pb.environment().put("MBLAZE", cwd.resolve(".mblaze").toString());
    pb.environment().put("MBLAZE_PAGER", "cat");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit status of %s: %s", command[0], text).isZero();
    return text;
  }

  @Test
  void mblazeListsAndScansDeliveredMessages() throws Exception {
    Path mlist = SystemComponents.requireCommand("mlist", "mblaze");
    Path mscan = SystemComponents.requireCommand("mscan", "mblaze");
    Path md = dir.resolve("Mail");
    Maildir maildir = Maildir.open(md);
    List<Path> delivered = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String msg =
          "From: Alice <alice@example.org>\r\n"
              + "To: bob@example.org\r\n"
              + "Subject: Report number "
              + i
              + "\r\n"
              + "Message-ID: <r"
              + i
              + "@example.org>\r\n"
              + "Date: Thu, 26 Nov 2026 11:0"
              + i
              + ":00 +0000\r\n"
              + "\r\n"
              + "Body "
              + i
              + "\r\n";
      delivered.add(maildir.deliver(msg.getBytes(StandardCharsets.US_ASCII)));
    }

    String listed = run(dir, mlist.toString(), md.toString());
    List<String> lines = listed.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSize(3);
    for (Path p : delivered) {
      assertThat(lines).contains(p.toString());
    }

    // mscan parses each delivered file's headers
    List<String> args = new ArrayList<>(List.of(mscan.toString(), "-f", "%f|%s"));
    for (Path p : delivered) {
      args.add(p.toString());
    }
    String scanned = run(dir, args.toArray(new String[0]));
    assertThat(scanned.lines().filter(l -> l.contains("|")).toList())
        .containsExactlyInAnyOrder(
            "Alice|Report number 1", "Alice|Report number 2", "Alice|Report number 3");
  }
}
