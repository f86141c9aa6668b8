package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.maildir.Maildir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboundStoreTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void knownIdsAndHeldMessagesSurviveAReopen() throws IOException {
    InboundStore s = InboundStore.open(dir, 1_000_000);
    InboundId a = InboundId.of(1);
    InboundId b = InboundId.of(2);
    assertThat(s.keep(a, bytes("Subject: a\r\n\r\nA\r\n"))).isEqualTo(InboundStore.Kept.STORED);
    s.markKnown(List.of(b));
    s.close();

    InboundStore again = InboundStore.open(dir, 1_000_000);
    assertThat(again.knows(a)).isTrue();
    assertThat(again.knows(b)).isTrue();
    assertThat(again.ids().size()).isEqualTo(2);
    assertThat(again.held()).containsExactly(a);
    assertThat(again.keep(a, bytes("x"))).isEqualTo(InboundStore.Kept.ALREADY_KNOWN);
    assertThat(again.usedBytes()).isEqualTo(17);
    again.release(a);
    assertThat(again.usedBytes()).isZero();
    assertThat(again.knows(a)).as("a freed message stays known").isTrue();
    again.close();
  }

  @Test
  void aTornLastRecordIsDropped() throws IOException {
    InboundStore s = InboundStore.open(dir, 1_000);
    s.markKnown(List.of(InboundId.of(7)));
    s.close();
    Files.write(dir.resolve("known.ids"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    InboundStore again = InboundStore.open(dir, 1_000);
    assertThat(again.ids().size()).isEqualTo(1);
    again.markKnown(List.of(InboundId.of(8)));
    again.close();
    assertThat(Files.size(dir.resolve("known.ids"))).isEqualTo(8 + 2 * 16);
  }

  @Test
  void aFileOfBareIdsIsConvertedAndItsIdsDatedAtOpening() throws IOException {
    java.nio.ByteBuffer old = java.nio.ByteBuffer.allocate(8 * 3 + 3);
    old.putLong(11).putLong(12).putLong(13).put(new byte[] {9, 9, 9}); // torn last record
    Files.write(dir.resolve("known.ids"), old.array());
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-01T00:00:00Z"));
    InboundStore s = InboundStore.open(dir, 1_000, InboundIdSet.create(), clock);
    assertThat(s.ids().ids())
        .containsExactlyInAnyOrder(InboundId.of(11), InboundId.of(12), InboundId.of(13));
    byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve("known.ids")), 8);
    assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("TPKNOWN2");
    clock.advance(java.time.Duration.ofDays(1));
    s.markKnown(List.of(InboundId.of(14)));
    assertThat(s.knownBefore(clock.instant()))
        .containsExactlyInAnyOrder(InboundId.of(11), InboundId.of(12), InboundId.of(13));
    s.close();
    InboundStore again = InboundStore.open(dir, 1_000, InboundIdSet.create(), clock);
    assertThat(again.ids().size()).isEqualTo(4);
    again.close();
  }

  @Test
  void oldIdsAreForgottenOnDiskAndInTheSetButNeverWhatIsHeld() throws IOException {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-01T00:00:00Z"));
    InboundStore s = InboundStore.open(dir, 1_000_000, InboundIdSet.create(), clock);
    s.markKnown(List.of(InboundId.of(1), InboundId.of(2)));
    s.keep(InboundId.of(3), bytes("Subject: held\r\n\r\nx\r\n"));
    java.time.Instant firstDay = clock.instant();
    clock.advance(java.time.Duration.ofDays(40));
    s.markKnown(List.of(InboundId.of(4)));
    assertThat(s.forgottenBefore()).isEmpty();

    List<InboundId> old = s.knownBefore(clock.instant().minus(java.time.Duration.ofDays(30)));
    assertThat(old).containsExactlyInAnyOrder(InboundId.of(1), InboundId.of(2));
    assertThat(s.forget(List.of(InboundId.of(1), InboundId.of(2), InboundId.of(3)))).isEqualTo(2);
    assertThat(s.knows(InboundId.of(1))).isFalse();
    assertThat(s.knows(InboundId.of(3))).as("held bytes keep their id").isTrue();
    assertThat(s.forgottenBefore()).contains(firstDay.plusMillis(1));
    assertThat(Files.size(dir.resolve("known.ids"))).isEqualTo(8 + 2 * 16);
    clock.advance(java.time.Duration.ofDays(1));
    java.time.Instant beforeFive = clock.instant();
    clock.advance(java.time.Duration.ofDays(1));
    s.markKnown(List.of(InboundId.of(5))); // appending still works after the rewrite
    s.close();

    InboundStore again = InboundStore.open(dir, 1_000_000, InboundIdSet.create(), clock);
    assertThat(again.ids().ids())
        .containsExactlyInAnyOrder(InboundId.of(3), InboundId.of(4), InboundId.of(5));
    assertThat(again.knownBefore(beforeFive))
        .as("times survive the rewrite; held ids are no candidates")
        .containsExactlyInAnyOrder(InboundId.of(4));
    again.close();
  }

  @Test
  void aFetcherFromAPop3MailboxThatKeepsItsMailStopsTheStoreForgetting() throws IOException {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-01T00:00:00Z"));
    InboundStore s = InboundStore.open(dir, 1_000, InboundIdSet.create(), clock);
    s.markKnown(List.of(InboundId.of(1)));
    new MailFetcher(
        FetchSettings.builder()
            .protocol(FetchSettings.Protocol.POP3)
            .host("127.0.0.1")
            .username("bob")
            .build(),
        InboundSink.holding(s));
    assertThat(s.forget(List.of(InboundId.of(1)))).isZero();
    assertThat(s.knows(InboundId.of(1))).isTrue();
    s.close();
  }

  @Test
  void aCursorSurvivesAReopen() throws IOException {
    InboundStore s = InboundStore.open(dir, 1_000);
    assertThat(s.cursor("imap://bob@h:143/INBOX")).isEmpty();
    s.saveCursor("imap://bob@h:143/INBOX", "17 42");
    s.close();
    assertThat(InboundStore.open(dir, 1_000).cursor("imap://bob@h:143/INBOX")).contains("17 42");
  }

  /** A clock the test moves. */
  static final class MutableClock extends java.time.Clock {
    private volatile java.time.Instant now;

    MutableClock(java.time.Instant start) {
      this.now = start;
    }

    void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void theBudgetRefusesWhatWouldNotFit() throws IOException {
    InboundStore s = InboundStore.open(dir, 100);
    assertThat(s.keep(InboundId.of(1), new byte[60])).isEqualTo(InboundStore.Kept.STORED);
    assertThat(s.keep(InboundId.of(2), new byte[60])).isEqualTo(InboundStore.Kept.OVER_BUDGET);
    assertThat(s.knows(InboundId.of(2))).isFalse();
    s.release(InboundId.of(1));
    assertThat(s.keep(InboundId.of(2), new byte[60])).isEqualTo(InboundStore.Kept.STORED);
    assertThatThrownBy(() -> InboundStore.open(dir.resolve("x"), 0))
        .hasMessageContaining("budget 0");
    s.close();
  }

  @Test
  void partialTransfersResumeAndAreCheckedWhole() throws IOException {
    byte[] msg = bytes("Subject: chunked\r\n\r\n" + "0123456789".repeat(100));
    String sha = InboundStore.sha256(msg);
    InboundId id = InboundId.of(42);
    InboundStore s = InboundStore.open(dir, 1_000_000);
    assertThat(s.appendPartial(id, 0, Arrays.copyOfRange(msg, 0, 300))).isEqualTo(300);
    s.close();

    InboundStore again = InboundStore.open(dir, 1_000_000);
    assertThat(again.partialLength(id)).isEqualTo(300);
    assertThat(again.usedBytes()).isEqualTo(300);
    // a repeat is ignored, an overlap adds its tail, a gap is refused
    assertThat(again.appendPartial(id, 100, Arrays.copyOfRange(msg, 100, 200))).isEqualTo(300);
    assertThat(again.appendPartial(id, 250, Arrays.copyOfRange(msg, 250, 500))).isEqualTo(500);
    assertThatThrownBy(() -> again.appendPartial(id, 600, new byte[10]))
        .hasMessageContaining("starts at 600 but 500 bytes are here");
    again.appendPartial(id, 500, Arrays.copyOfRange(msg, 500, msg.length));
    assertThat(again.completePartial(id, msg.length, sha)).isEqualTo(msg);
    again.dropPartial(id);
    assertThat(again.usedBytes()).isZero();

    // a corrupted transfer is refused and starts over
    byte[] bad = msg.clone();
    bad[5] ^= 1;
    again.appendPartial(id, 0, bad);
    assertThatThrownBy(() -> again.completePartial(id, msg.length, sha))
        .hasMessageContaining("SHA-256")
        .hasMessageContaining("requested again");
    assertThat(again.partialLength(id)).isZero();
    again.close();
  }

  @Test
  void theMaildirSinkDeliversEachIdOnceEvenAcrossACrash() throws IOException {
    Maildir md = Maildir.open(dir.resolve("Mail"));
    InboundStore s = InboundStore.open(dir.resolve("store"), 1_000_000);
    InboundSink sink = InboundSink.maildir(s, md);
    InboundId a = InboundId.of(0xa);
    assertThat(sink.accept(a, bytes("Subject: a\r\n\r\n"))).isEqualTo(InboundSink.Outcome.STORED);
    assertThat(sink.accept(a, bytes("Subject: a\r\n\r\n")))
        .isEqualTo(InboundSink.Outcome.DUPLICATE);

    // a crash after the Maildir delivery, before the id was recorded
    InboundId b = InboundId.of(0xb);
    s.beginDelivery(b);
    md.deliver(bytes("Subject: b\r\n\r\n"), b.toString());
    // and a crash before the delivery itself
    InboundId c = InboundId.of(0xc);
    s.beginDelivery(c);
    s.close();

    InboundStore reopened = InboundStore.open(dir.resolve("store"), 1_000_000);
    InboundSink again = InboundSink.maildir(reopened, md);
    assertThat(reopened.knows(b)).isTrue();
    assertThat(reopened.knows(c)).isFalse();
    assertThat(reopened.unfinishedDeliveries()).isEmpty();
    assertThat(again.accept(b, bytes("Subject: b\r\n\r\n")))
        .isEqualTo(InboundSink.Outcome.DUPLICATE);
    assertThat(again.accept(c, bytes("Subject: c\r\n\r\n"))).isEqualTo(InboundSink.Outcome.STORED);
    assertThat(md.list()).hasSize(3);
    reopened.close();
  }
}
