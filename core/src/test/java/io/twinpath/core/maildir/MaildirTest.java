package io.twinpath.core.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirTest {
  @TempDir Path dir;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static List<Path> files(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }

  @Test
  void openCreatesTheThreeDirectoriesAndIsIdempotent() throws IOException {
    Path md = dir.resolve("a/b/Mail");
    Maildir.open(md);
    Maildir again = Maildir.open(md);
    assertThat(md.resolve("cur")).isDirectory();
    assertThat(md.resolve("new")).isDirectory();
    assertThat(md.resolve("tmp")).isDirectory();
    assertThat(again.root()).isEqualTo(md.toAbsolutePath());
  }

  @Test
  void openRefusesAFile() throws IOException {
    Path f = Files.writeString(dir.resolve("plain"), "x");
    assertThatThrownBy(() -> Maildir.open(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void deliversIntoNewWithLfLineEndingsAndLeavesTmpEmpty() throws IOException {
    Maildir md = Maildir.open(dir);
    Path p = md.deliver(ascii("Subject: hi\r\nFrom: a@example.org\r\n\r\nbody\r\nlone\rcr\n"));
    assertThat(p.getParent()).isEqualTo(dir.toAbsolutePath().resolve("new"));
    assertThat(Files.readString(p))
        .isEqualTo("Subject: hi\nFrom: a@example.org\n\nbody\nlone\rcr\n");
    assertThat(files(dir.resolve("tmp"))).isEmpty();
    assertThat(md.list()).containsExactly(p);
  }

  @Test
  void namesFollowTheMaildirRules() throws IOException {
    Instant t = Instant.parse("2026-11-26T11:00:00.123456Z");
    Maildir md = Maildir.open(dir, Clock.fixed(t, ZoneOffset.UTC));
    String name = md.deliver(ascii("x\n")).getFileName().toString();
    long pid = ProcessHandle.current().pid();
    assertThat(name)
        .matches(t.getEpochSecond() + "\\.M123456P" + pid + "Q[0-9]+\\.[^/:]+")
        .doesNotContain(":");
  }

  @Test
  void hostNamesAreEncoded() {
    assertThat(Maildir.encodeHost("a/b:c")).isEqualTo("a\\057b\\072c");
    assertThat(Maildir.encodeHost("")).isEqualTo("localhost");
  }

  @Test
  void concurrentDeliveriesAtTheSameInstantGetUniqueNames() throws Exception {
    Maildir md = Maildir.open(dir, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        byte[] body = ascii("Subject: " + i + "\n\n" + i + "\n");
        futures.add(pool.submit(() -> md.deliver(body)));
      }
      Set<Path> paths = new HashSet<>();
      for (Future<Path> f : futures) {
        paths.add(f.get());
      }
      assertThat(paths).hasSize(200);
      assertThat(md.list()).hasSize(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailingSourceLeavesNothingBehind() throws IOException {
    Maildir md = Maildir.open(dir);
    InputStream broken =
        new InputStream() {
          int n;

          @Override
          public int read() throws IOException {
            if (n++ > 100) {
              throw new IOException("connection lost");
            }
            return 'a';
          }
        };
    assertThatThrownBy(() -> md.deliver(broken)).hasMessageContaining("connection lost");
    assertThat(files(dir.resolve("tmp"))).isEmpty();
    assertThat(files(dir.resolve("new"))).isEmpty();
  }

  @Test
  void crLfSplitAcrossReadsIsStillJoined() throws IOException {
    byte[] in = ascii("a\r\nb\r\r\nc\r");
    InputStream oneByteAtATime =
        new ByteArrayInputStream(in) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(1, len));
          }
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Maildir.copyWithLfLineEndings(oneByteAtATime, out);
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("a\nb\r\nc\r");
  }

  @Test
  void aStrayFileInCurIsListedToo() throws IOException {
    Maildir md = Maildir.open(dir);
    Path seen = Files.writeString(dir.resolve("cur/1.M1P1Q1.h:2,S"), "Subject: old\n\n");
    Path fresh = md.deliver(ascii("Subject: new\n\n"));
    assertThat(md.list()).containsExactlyInAnyOrder(seen, fresh);
  }

  @Test
  void labelledDeliveriesCanBeFoundAgainEvenAfterAReaderMovedThem() throws IOException {
    Maildir md = Maildir.open(dir);
    Path p = md.deliver(ascii("Subject: x\n\n"), "0f3a9c2b5d7e1184");
    assertThat(p.getFileName().toString()).contains("_0f3a9c2b5d7e1184.");
    assertThat(md.findLabelled("0f3a9c2b5d7e1184")).containsExactly(p);
    Path moved = dir.resolve("cur").resolve(p.getFileName() + ":2,S");
    Files.move(p, moved);
    assertThat(md.findLabelled("0f3a9c2b5d7e1184")).containsExactly(moved.toAbsolutePath());
    assertThat(md.findLabelled("ffffffffffffffff")).isEmpty();
    assertThatThrownBy(() -> md.deliver(ascii("x"), "a.b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a.b'");
  }
}
