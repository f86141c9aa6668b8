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
    assertThat(Files.size(dir.resolve("known.ids"))).isEqualTo(16);
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
