package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InboundIdTest {
  @Test
  void normalisesMessageIds() {
    assertThat(InboundId.normaliseMessageId("  <Abc.123@Example.ORG> "))
        .hasValue("Abc.123@example.org");
    assertThat(InboundId.normaliseMessageId("<a@B.c> (sent by a robot)")).hasValue("a@b.c");
    assertThat(InboundId.normaliseMessageId("\r\n <folded@X.Y>")).hasValue("folded@x.y");
    assertThat(InboundId.normaliseMessageId("bare@Host")).hasValue("bare@host");
    assertThat(InboundId.normaliseMessageId("<>")).isEmpty();
    assertThat(InboundId.normaliseMessageId("   ")).isEmpty();
  }

  @Test
  void theSameMessageIdGivesTheSameIdWhateverItsSpelling() {
    InboundId a = InboundId.forMessageId("<Report-7@Mail.Example.org>").orElseThrow();
    InboundId b = InboundId.forMessageId(" Report-7@mail.example.ORG").orElseThrow();
    InboundId other = InboundId.forMessageId("<report-7@mail.example.org>").orElseThrow();
    assertThat(a).isEqualTo(b);
    // the local part keeps its case
    assertThat(a).isNotEqualTo(other);
  }

  @Test
  void messagesWithoutAUsableMessageIdAreIdentifiedByTheirBytes() {
    byte[] m1 = "Subject: one\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] m2 = "Subject: two\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(InboundId.forMessage(null, m1)).isEqualTo(InboundId.forBytes(m1));
    assertThat(InboundId.forMessage("<>", m1)).isEqualTo(InboundId.forBytes(m1));
    assertThat(InboundId.forBytes(m1)).isNotEqualTo(InboundId.forBytes(m2));
    // a message id never collides with the bytes of the same text
    byte[] text = "a@b".getBytes(StandardCharsets.US_ASCII);
    assertThat(InboundId.forMessage("<a@b>", text)).isNotEqualTo(InboundId.forBytes(text));
  }

  @Test
  void printsAndParsesSixteenHexDigits() {
    InboundId id = InboundId.of(0x00ff00ff00ff00ffL);
    assertThat(id.toString()).isEqualTo("00ff00ff00ff00ff");
    assertThat(InboundId.parse("00ff00ff00ff00ff")).isEqualTo(id);
    assertThat(InboundId.parse(InboundId.of(-1).toString())).isEqualTo(InboundId.of(-1));
    assertThatThrownBy(() -> InboundId.parse("xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'xyz'")
        .hasMessageContaining("16 hexadecimal digits");
    assertThatThrownBy(() -> InboundId.parse("zzzzzzzzzzzzzzzz"))
        .hasMessageContaining("16 hexadecimal digits");
  }
}
