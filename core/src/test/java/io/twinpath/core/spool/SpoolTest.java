package io.twinpath.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.InvalidMessageException;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.MessagePreparer;
import io.twinpath.core.item.OutboundItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  static final DeviceId LAPTOP = DeviceId.of("laptop");
  static final Envelope ENVELOPE = Envelope.of("me@x.org", List.of("a@y.org", "b@y.org"));

  @TempDir Path dir;

  static byte[] message(String body) throws IOException {
    String raw = "From: me@x.org\nTo: a@y.org\nSubject: test\n\n" + body + "\n";
    try (InputStream in =
        MessagePreparer.prepare(
            new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)),
            Clock.systemUTC(),
            "x.org")) {
      return in.readAllBytes();
    }
  }

  static Instant later() {
    return Instant.now().plusSeconds(3600);
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static byte[] read(Spool s, ItemId id) throws IOException {
    try (InputStream in = s.openMessage(id)) {
      return in.readAllBytes();
    }
  }

  @Test
  void enqueueKeepsTheExactBytesInTheDocumentedLayoutAndSurvivesReopen() throws Exception {
    byte[] msg = message("héllo wörld");
    OutboundItem item;
    try (Spool s = Spool.open(dir)) {
      item = s.enqueue(ENVELOPE, new ByteArrayInputStream(msg), later(), LAPTOP);
      assertThat(item.size()).isEqualTo(msg.length);
      assertThat(item.sha256()).isEqualTo(sha(msg));
      assertThat(item.messageId()).matches("<[0-9a-z]{26}@x\\.org>");
      assertThat(item.origin()).isEqualTo(LAPTOP);
      assertThat(s.list()).containsExactly(item);
      assertThat(read(s, item.id())).isEqualTo(msg);
      assertThat(s.usedBytes()).isEqualTo(msg.length);
    }
    Path entry = dir.resolve("items").resolve(item.id().toString());
    assertThat(Files.readAllBytes(entry.resolve("message.eml"))).isEqualTo(msg);
    assertThat(OutboundItem.fromJson(Files.readString(entry.resolve("meta.json")))).isEqualTo(item);
    try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
    try (Spool s = Spool.open(dir)) {
      assertThat(s.problems()).isEmpty();
      assertThat(s.get(item.id())).contains(item);
      assertThat(read(s, item.id())).isEqualTo(msg);
      assertThat(s.usedBytes()).isEqualTo(msg.length);
    }
  }

  @Test
  void listsOldestFirst() throws Exception {
    try (Spool s = Spool.open(dir)) {
      OutboundItem a = s.enqueue(ENVELOPE, new ByteArrayInputStream(message("1")), later(), LAPTOP);
      OutboundItem b = s.enqueue(ENVELOPE, new ByteArrayInputStream(message("2")), later(), LAPTOP);
      OutboundItem c = s.enqueue(ENVELOPE, new ByteArrayInputStream(message("3")), later(), LAPTOP);
      assertThat(s.list()).containsExactly(a, b, c);
    }
  }

  @Test
  void stateIsReplacedAtomicallyAndDeleteRemovesEveryFile() throws Exception {
    try (Spool s = Spool.open(dir)) {
      OutboundItem item =
          s.enqueue(ENVELOPE, new ByteArrayInputStream(message("x")), later(), LAPTOP);
      assertThat(s.state(item.id())).isEmpty();
      s.saveState(item.id(), ItemState.ofJson("{\"epoch\":1}"));
      s.saveState(item.id(), ItemState.ofJson("{\"epoch\":2,\"accepted\":[\"a@y.org\"]}"));
      assertThat(s.state(item.id()).orElseThrow().json()).contains("\"epoch\":2");
      Path entry = dir.resolve("items").resolve(item.id().toString());
      try (Stream<Path> files = Files.list(entry)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("meta.json", "message.eml", "state.json");
      }
      s.delete(item.id());
      assertThat(entry).doesNotExist();
      assertThat(s.list()).isEmpty();
      assertThat(s.get(item.id())).isEmpty();
      assertThat(s.usedBytes()).isZero();
      assertThatThrownBy(() -> s.openMessage(item.id())).isInstanceOf(NoSuchFileException.class);
      assertThatThrownBy(() -> s.saveState(item.id(), ItemState.ofJson("{}")))
          .isInstanceOf(NoSuchFileException.class);
      s.delete(item.id()); // again: nothing to do
    }
    assertThat(allFiles(dir.resolve("items"))).isEmpty();
    assertThat(allFiles(dir.resolve("tmp"))).isEmpty();
  }

  @Test
  void stateMustBeOneJsonObject() {
    assertThatThrownBy(() -> ItemState.ofJson("[1]")).hasMessageContaining("one JSON object");
    assertThatThrownBy(() -> ItemState.ofJson("{")).hasMessageContaining("not valid JSON");
  }

  @Test
  void refusesUnpreparedMessagesAndLeavesNothingBehind() throws Exception {
    try (Spool s = Spool.open(dir)) {
      String noId = "From: a@x.org\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nx\r\n";
      assertThatThrownBy(() -> enqueue(s, noId))
          .isInstanceOf(InvalidMessageException.class)
          .hasMessageContaining("no Message-ID");
      String noDate = "Message-ID: <a@b>\r\n\r\nx\r\n";
      assertThatThrownBy(() -> enqueue(s, noDate)).hasMessageContaining("no Date");
      String bareLf = "Message-ID: <a@b>\r\nDate: d\r\n\r\nx\ny\r\n";
      assertThatThrownBy(() -> enqueue(s, bareLf)).hasMessageContaining("bare LF at byte");
      String noEnd = "Message-ID: <a@b>\r\nDate: d\r\n\r\nx";
      assertThatThrownBy(() -> enqueue(s, noEnd)).hasMessageContaining("does not end with CRLF");
      String noSep = "Message-ID: <a@b>\r\nDate: d\r\n";
      assertThatThrownBy(() -> enqueue(s, noSep)).hasMessageContaining("no empty line");
      assertThatThrownBy(
              () ->
                  s.enqueue(
                      ENVELOPE,
                      new ByteArrayInputStream(message("x")),
                      Instant.now().minusSeconds(1),
                      LAPTOP))
          .hasMessageContaining("is not after now");
      assertThat(s.list()).isEmpty();
      assertThat(s.usedBytes()).isZero();
    }
    assertThat(allFiles(dir.resolve("tmp"))).isEmpty();
    assertThat(allFiles(dir.resolve("items"))).isEmpty();
  }

  private static void enqueue(Spool s, String prepared) throws IOException {
    s.enqueue(
        ENVELOPE,
        new ByteArrayInputStream(prepared.getBytes(StandardCharsets.UTF_8)),
        later(),
        LAPTOP);
  }

  @Test
  void aFullBudgetRefusesNewItemsClearlyAndKeepsTheOthers() throws Exception {
    byte[] small = message("small");
    byte[] big = message("x".repeat(10_000));
    SpoolOptions opts = SpoolOptions.builder().maxBytes(small.length + 5_000).build();
    try (Spool s = Spool.open(dir, opts)) {
      OutboundItem kept = s.enqueue(ENVELOPE, new ByteArrayInputStream(small), later(), LAPTOP);
      assertThatThrownBy(() -> s.enqueue(ENVELOPE, new ByteArrayInputStream(big), later(), LAPTOP))
          .isInstanceOf(SpoolFullException.class)
          .hasMessageContaining("is full")
          .hasMessageContaining("budget of " + (small.length + 5_000) + " bytes");
      assertThat(s.list()).containsExactly(kept);
      assertThat(s.usedBytes()).isEqualTo(small.length);
      assertThat(read(s, kept.id())).isEqualTo(small);
      // a copy that does not fit is refused before any byte arrives
      OutboundItem peer =
          OutboundItem.of(
              ItemId.generate(Clock.systemUTC()),
              ENVELOPE,
              Instant.now(),
              later(),
              big.length,
              sha(big),
              "<p@x>",
              DeviceId.of("dongle"));
      assertThatThrownBy(() -> s.beginCopy(peer)).isInstanceOf(SpoolFullException.class);
      s.delete(kept.id());
      s.enqueue(ENVELOPE, new ByteArrayInputStream(message("fits now")), later(), LAPTOP);
    }
    assertThatThrownBy(() -> SpoolOptions.builder().maxBytes(0))
        .hasMessageContaining("spool.maxBytes 0");
  }

  @Test
  void damagedEntriesAreQuarantinedByNameAndTheRestOpens() throws Exception {
    OutboundItem good;
    OutboundItem truncated;
    OutboundItem badState;
    try (Spool s = Spool.open(dir)) {
      good = s.enqueue(ENVELOPE, new ByteArrayInputStream(message("good")), later(), LAPTOP);
      truncated = s.enqueue(ENVELOPE, new ByteArrayInputStream(message("cut")), later(), LAPTOP);
      badState = s.enqueue(ENVELOPE, new ByteArrayInputStream(message("st")), later(), LAPTOP);
      s.saveState(badState.id(), ItemState.ofJson("{\"epoch\":3}"));
    }
    Path items = dir.resolve("items");
    // a message cut short, a description that is garbage, a stray directory, half a state file,
    // and an unfinished write in tmp/ (never acknowledged: removed)
    Path cut = items.resolve(truncated.id().toString()).resolve("message.eml");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(cut), 10));
    String garbageId = ItemId.generate(Clock.systemUTC()).toString();
    Files.createDirectories(items.resolve(garbageId));
    Files.writeString(items.resolve(garbageId).resolve("meta.json"), "{\"version\":1,\"id\":");
    Files.writeString(items.resolve(garbageId).resolve("message.eml"), "x");
    Files.createDirectories(items.resolve("not-an-id"));
    Files.writeString(items.resolve(badState.id().toString()).resolve("state.json"), "{\"ep");
    Files.createDirectories(dir.resolve("tmp").resolve("01JDQ4Z8X3K2M7N9P0QRSTVWXY.1.99"));

    try (Spool s = Spool.open(dir)) {
      assertThat(s.list()).containsExactlyInAnyOrder(good, badState);
      assertThat(s.state(badState.id())).isEmpty();
      assertThat(s.problems())
          .extracting(SpoolProblem::name)
          .containsExactlyInAnyOrder(
              "items/" + truncated.id(),
              "items/" + garbageId,
              "items/not-an-id",
              "items/" + badState.id() + "/state.json");
      assertThat(dir.resolve("tmp").resolve("01JDQ4Z8X3K2M7N9P0QRSTVWXY.1.99")).doesNotExist();
      SpoolProblem cutProblem =
          s.problems().stream()
              .filter(p -> p.name().equals("items/" + truncated.id()))
              .findFirst()
              .orElseThrow();
      assertThat(cutProblem.reason()).contains("message.eml has 10 bytes");
      assertThat(cutProblem.quarantinedTo()).startsWith(dir.resolve("quarantine"));
      assertThat(cutProblem.quarantinedTo().resolve("reason.txt"))
          .content()
          .contains("message.eml has 10 bytes");
      assertThat(cutProblem.quarantinedTo().resolve("message.eml")).exists();
      assertThat(read(s, good.id())).hasSize((int) good.size());
      s.enqueue(ENVELOPE, new ByteArrayInputStream(message("after")), later(), LAPTOP);
    }
    try (Spool s = Spool.open(dir)) {
      assertThat(s.problems()).isEmpty();
      assertThat(s.list()).hasSize(3);
    }
  }

  @Test
  void quarantinedEntriesExpireWithTheirItem() throws Exception {
    Instant expiry = Instant.now().plus(java.time.Duration.ofHours(2));
    OutboundItem truncated;
    try (Spool s = Spool.open(dir)) {
      truncated = s.enqueue(ENVELOPE, new ByteArrayInputStream(message("cut")), expiry, LAPTOP);
    }
    Path items = dir.resolve("items");
    Path cut = items.resolve(truncated.id().toString()).resolve("message.eml");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(cut), 10));
    String garbageId = ItemId.generate(Clock.systemUTC()).toString();
    Files.createDirectories(items.resolve(garbageId));
    Files.writeString(items.resolve(garbageId).resolve("meta.json"), "{\"version\":1,\"id\":");
    Files.createDirectories(items.resolve("not-an-id"));
    // an unreadable entry whose name says it was made in 2024: long expired
    Files.createDirectories(items.resolve("01JDQ4Z8X3K2M7N9P0QRSTVWXY"));
    Path quarantine = dir.resolve("quarantine");
    Instant now = Instant.now();
    try (Spool s = Spool.open(dir)) {
      assertThat(s.problems()).hasSize(4);
      assertThat(quarantine.resolve(truncated.id().toString()).resolve("reason.txt"))
          .content()
          .contains("expires " + expiry);

      assertThat(s.expireQuarantine(now)).isEqualTo(1);
      assertThat(quarantine.resolve("01JDQ4Z8X3K2M7N9P0QRSTVWXY")).doesNotExist();
      assertThat(s.problems()).hasSize(3);

      assertThat(s.expireQuarantine(expiry.plusSeconds(1))).isEqualTo(1);
      assertThat(quarantine.resolve(truncated.id().toString())).doesNotExist();
      assertThat(s.problems())
          .extracting(SpoolProblem::name)
          .containsExactlyInAnyOrder("items/" + garbageId, "items/not-an-id");

      Instant afterKeep = now.plus(SpoolOptions.DEFAULT_QUARANTINE_KEEP).plusSeconds(60);
      assertThat(s.expireQuarantine(afterKeep)).isEqualTo(2);
      assertThat(s.problems()).isEmpty();
      try (Stream<Path> left = Files.list(quarantine)) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void readingADamagedMessageFailsAtTheEnd() throws Exception {
    try (Spool s = Spool.open(dir)) {
      OutboundItem item =
          s.enqueue(ENVELOPE, new ByteArrayInputStream(message("payload")), later(), LAPTOP);
      Path file = dir.resolve("items").resolve(item.id().toString()).resolve("message.eml");
      byte[] b = Files.readAllBytes(file);
      b[b.length - 3] ^= 1; // same size, one bit flipped
      Files.write(file, b);
      try (InputStream in = s.openMessage(item.id())) {
        assertThatThrownBy(in::readAllBytes)
            .isInstanceOf(IOException.class)
            .hasMessageContaining("does not match its SHA-256");
      }
    }
  }

  @Test
  void onlyOneOpenerAtATime() throws Exception {
    try (Spool s = Spool.open(dir)) {
      assertThatThrownBy(() -> Spool.open(dir))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already open");
      assertThat(s.directory()).isEqualTo(dir.toAbsolutePath());
    }
    Spool.open(dir).close();
  }

  @Test
  void aCopyArrivesInChunksResumesAfterRestartAndIsVerified() throws Exception {
    byte[] msg = message("y".repeat(3000));
    OutboundItem meta =
        OutboundItem.of(
            ItemId.generate(Clock.systemUTC()),
            ENVELOPE,
            Instant.now(),
            later(),
            msg.length,
            sha(msg),
            "<copy@x.org>",
            LAPTOP);
    try (Spool s = Spool.open(dir)) {
      IncomingCopy c = s.beginCopy(meta);
      assertThat(c.received()).isZero();
      c.append(0, Arrays.copyOfRange(msg, 0, 1000));
      c.append(0, Arrays.copyOfRange(msg, 0, 1000)); // a repeat is ignored
      c.append(500, Arrays.copyOfRange(msg, 500, 1500)); // an overlap adds its tail
      assertThat(c.received()).isEqualTo(1500);
      assertThatThrownBy(() -> c.append(2000, new byte[10]))
          .hasMessageContaining("leaves a gap; the next chunk must start at 1500");
      assertThatThrownBy(c::complete).hasMessageContaining("has 1500 of " + msg.length);
      s.saveState(meta.id(), ItemState.ofJson("{\"epoch\":7}"));
      assertThat(s.list()).isEmpty();
      assertThat(s.usedBytes()).isEqualTo(msg.length);
    }
    try (Spool s = Spool.open(dir)) {
      assertThat(s.problems()).isEmpty();
      assertThat(s.incomingCopies()).hasSize(1);
      IncomingCopy c = s.beginCopy(meta);
      assertThat(c.received()).isEqualTo(1500);
      assertThatThrownBy(() -> c.append(1500, new byte[msg.length]))
          .hasMessageContaining("passes the end");
      c.append(1500, Arrays.copyOfRange(msg, 1500, msg.length));
      assertThat(c.allReceived()).isTrue();
      OutboundItem done = c.complete();
      assertThat(done).isEqualTo(meta);
      assertThat(c.complete()).isEqualTo(meta);
      assertThat(s.list()).containsExactly(meta);
      assertThat(s.incomingCopies()).isEmpty();
      assertThat(read(s, meta.id())).isEqualTo(msg);
      assertThat(s.state(meta.id()).orElseThrow().json()).isEqualTo("{\"epoch\":7}");
      // beginning the copy of an item already here returns it complete
      IncomingCopy again = s.beginCopy(meta);
      assertThat(again.received()).isEqualTo(msg.length);
      assertThat(again.complete()).isEqualTo(meta);
    }
    assertThat(dir.resolve("incoming").resolve(meta.id().toString())).doesNotExist();
  }

  @Test
  void aCopyWithWrongBytesIsResetAndCanBeSentAgain() throws Exception {
    byte[] msg = message("z".repeat(100));
    OutboundItem meta =
        OutboundItem.of(
            ItemId.generate(Clock.systemUTC()),
            ENVELOPE,
            Instant.now(),
            later(),
            msg.length,
            sha(msg),
            "<copy@x.org>",
            LAPTOP);
    try (Spool s = Spool.open(dir)) {
      IncomingCopy c = s.beginCopy(meta);
      byte[] wrong = msg.clone();
      wrong[50] = 'Q';
      c.append(0, wrong);
      assertThatThrownBy(c::complete)
          .hasMessageContaining("does not match its SHA-256")
          .hasMessageContaining("send it again from offset 0");
      assertThat(c.received()).isZero();
      c.append(0, msg);
      assertThat(c.complete()).isEqualTo(meta);
      s.delete(meta.id());
      assertThat(s.list()).isEmpty();
      assertThat(s.usedBytes()).isZero();
    }
    assertThat(allFiles(dir.resolve("items"))).isEmpty();
    assertThat(allFiles(dir.resolve("incoming"))).isEmpty();
  }

  @Test
  void deletingAnUnfinishedCopyRemovesIt() throws Exception {
    byte[] msg = message("w");
    OutboundItem meta =
        OutboundItem.of(
            ItemId.generate(Clock.systemUTC()),
            ENVELOPE,
            Instant.now(),
            later(),
            msg.length,
            sha(msg),
            "<copy@x.org>",
            LAPTOP);
    try (Spool s = Spool.open(dir)) {
      IncomingCopy c = s.beginCopy(meta);
      c.append(0, Arrays.copyOf(msg, 5));
      s.delete(meta.id());
      assertThat(s.incomingCopies()).isEmpty();
      assertThatThrownBy(() -> c.append(5, new byte[1])).hasMessageContaining("was deleted");
      assertThat(s.usedBytes()).isZero();
    }
    assertThat(allFiles(dir.resolve("incoming"))).isEmpty();
  }

  static List<Path> allFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root)).toList();
    }
  }
}
