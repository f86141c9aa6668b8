package io.twinpath.core.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a real JVM that holds the spool: the acknowledged item must be intact. */
class SpoolKillIT {
  @TempDir Path dir;

  @Test
  void anAcknowledgedItemSurvivesKillNineAndAHalfWrittenOneIsQuarantined() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SpoolChild.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String queued;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      queued = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
      String writing = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
      assertThat(queued).startsWith("QUEUED ");
      assertThat(writing).isEqualTo("WRITING");
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks in the child
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(child.exitValue()).isEqualTo(137);
    String[] parts = queued.split(" ");
    ItemId id = ItemId.parse(parts[1]);

    try (Spool s = Spool.open(dir)) {
      OutboundItem item = s.get(id).orElseThrow();
      assertThat(item.sha256()).isEqualTo(parts[2]);
      byte[] bytes;
      try (InputStream in = s.openMessage(id)) {
        bytes = in.readAllBytes();
      }
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
          .isEqualTo(parts[2]);
      assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("acknowledged");
      assertThat(s.list()).containsExactly(item);
      // the write cut short was never acknowledged: removed, not kept
      assertThat(s.problems()).isEmpty();
      try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
        assertThat(tmp).isEmpty();
      }
      assertThat(s.usedBytes()).isEqualTo(item.size());
    }
  }

  private static String readLine(BufferedReader r) {
    try {
      String line = r.readLine();
      return line == null ? "<end of output>" : line;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
