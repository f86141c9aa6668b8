package io.twinpath.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.testing.SystemComponents;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A really full disk (a 512 KiB tmpfs mounted for this test) never costs a queued item. */
class SpoolDiskFullIT {
  @TempDir Path base;
  private Path mount;
  private boolean mounted;

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
  }

  @BeforeEach
  void mountSmallDisk() throws Exception {
    SystemComponents.requireRoot("mounting a small tmpfs to fill the disk for real");
    String mountCmd = SystemComponents.requireCommand("mount", "mount").toString();
    mount = Files.createDirectory(base.resolve("disk"));
    try {
      run(mountCmd, "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", mount.toString());
    } catch (IOException e) {
      SystemComponents.unavailable("cannot mount a tmpfs here: " + e.getMessage());
    }
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      run(SystemComponents.requireCommand("umount", "mount").toString(), mount.toString());
    }
  }

  @Test
  void aFullDiskRefusesNewBytesAndKeepsEverythingAcknowledged() throws Exception {
    Path dir = mount.resolve("spool");
    byte[] kept = SpoolTest.message("kept across a full disk");
    OutboundItem item;
    try (Spool s = Spool.open(dir)) {
      item =
          s.enqueue(
              SpoolTest.ENVELOPE,
              new ByteArrayInputStream(kept),
              SpoolTest.later(),
              SpoolTest.LAPTOP);
      s.saveState(item.id(), ItemState.ofJson("{\"epoch\":1}"));

      byte[] big = SpoolTest.message("b".repeat(1 << 20)); // bigger than the whole disk
      assertThatThrownBy(
              () ->
                  s.enqueue(
                      SpoolTest.ENVELOPE,
                      new ByteArrayInputStream(big),
                      SpoolTest.later(),
                      SpoolTest.LAPTOP))
          .isInstanceOf(SpoolFullException.class)
          .hasMessageContaining("is full; the message was not queued");
      assertThat(SpoolTest.allFiles(dir.resolve("tmp"))).isEmpty();

      // fill every last byte, then try the small writes too
      try (OutputStream filler = Files.newOutputStream(mount.resolve("filler"))) {
        byte[] block = new byte[4096];
        while (true) {
          filler.write(block);
          filler.flush();
        }
      } catch (IOException full) {
        assertThat(full.getMessage()).containsIgnoringCase("no space left");
      }
      assertThatThrownBy(
              () ->
                  s.saveState(
                      item.id(),
                      ItemState.ofJson("{\"epoch\":2,\"pad\":\"" + "p".repeat(8000) + "\"}")))
          .isInstanceOf(IOException.class);
      assertThat(s.state(item.id()).orElseThrow().json()).isEqualTo("{\"epoch\":1}");
      assertThatThrownBy(
              () ->
                  s.enqueue(
                      SpoolTest.ENVELOPE,
                      new ByteArrayInputStream(SpoolTest.message("x".repeat(20_000))),
                      SpoolTest.later(),
                      SpoolTest.LAPTOP))
          .isInstanceOf(SpoolFullException.class);
      assertThat(s.list()).containsExactly(item);
    }
    Files.delete(mount.resolve("filler"));
    try (Spool s = Spool.open(dir)) {
      assertThat(s.problems()).isEmpty();
      assertThat(s.list()).containsExactly(item);
      try (InputStream in = s.openMessage(item.id())) {
        assertThat(in.readAllBytes()).isEqualTo(kept);
      }
      assertThat(s.state(item.id()).orElseThrow().json()).isEqualTo("{\"epoch\":1}");
      assertThat(List.of(s.usedBytes())).containsExactly(item.size());
    }
  }
}
