package io.twinpath.core.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessagePreparerTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T10:15:30Z"), ZoneOffset.UTC);

  private static byte[] prepare(String raw) throws IOException {
    return prepare(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] prepare(byte[] raw) throws IOException {
    try (InputStream in = MessagePreparer.prepare(new ByteArrayInputStream(raw), CLOCK, "x.org")) {
      return in.readAllBytes();
    }
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void addsDateAndMessageIdAtTheEndOfTheHeaderAndKeepsEverythingElse() throws IOException {
    String out = text(prepare("From: a@x.org\r\nSubject: hi\r\n\r\nbody\r\n"));
    assertThat(out)
        .matches(
            "From: a@x.org\r\nSubject: hi\r\n"
                + "Date: Thu, 26 Nov 2026 10:15:30 \\+0000\r\n"
                + "Message-ID: <[0-9a-z]{26}@x\\.org>\r\n"
                + "\r\nbody\r\n");
  }

  @Test
  void aPreparedMessageComesOutByteIdentical() throws IOException {
    byte[] in =
        ("Received: from a by b; Thu, 26 Nov 2026 10:00:00 +0000\r\n"
                + "message-id: <keep@x.org>\r\n"
                + "DATE: Wed, 25 Nov 2026 09:00:00 +0100\r\n"
                + "Subject: =?UTF-8?Q?caf=C3=A9?= and raw café ünïcødé\r\n"
                + "X-Folded: one\r\n two\r\n\tthree\r\n"
                + "\r\n"
                + ".leading dot\r\n\r\n\r\nlast\r\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(prepare(in)).isEqualTo(in);
  }

  @Test
  void eightBitHeaderBytesThatAreNotUtf8AreUntouched() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("Subject: ".getBytes(StandardCharsets.US_ASCII));
    b.write(0xe9); // Latin-1 é
    b.write(0xff);
    b.writeBytes(
        "\r\nDate: Wed, 25 Nov 2026 09:00:00 +0000\r\nMessage-ID: <a@b>\r\n\r\nx\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    assertThat(prepare(b.toByteArray())).isEqualTo(b.toByteArray());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bare LF | A: 1\\nB: 2\\n\\nline\\nend\\n | A: 1\\r\\nB: 2\\r\\n\\r\\nline\\r\\nend\\r\\n",
        "bare CR | A: 1\\rB: 2\\r\\rline\\r | A: 1\\r\\nB: 2\\r\\n\\r\\nline\\r\\n",
        "mixed | A: 1\\r\\nB: 2\\n\\r\\nx\\ry\\nz | A: 1\\r\\nB: 2\\r\\n\\r\\nx\\r\\ny\\r\\nz\\r\\n",
        "CR CR LF | A: 1\\n\\nx\\r\\r\\ny | A: 1\\r\\n\\r\\nx\\r\\n\\r\\ny\\r\\n",
        "no final newline | A: 1\\n\\nbody | A: 1\\r\\n\\r\\nbody\\r\\n",
        "empty body | A: 1\\n\\n | A: 1\\r\\n\\r\\n",
      })
  void lineEndingsBecomeCrlf(String name, String in, String expected) throws IOException {
    String head = "Date: d\nMessage-ID: <m@x>\n";
    String unescaped = unescape(in);
    String out = text(prepare(head + unescaped));
    assertThat(out).isEqualTo("Date: d\r\nMessage-ID: <m@x>\r\n" + unescape(expected));
    // the same bytes one at a time (every CR/LF split across reads) give the same result
    byte[] raw = (head + unescaped).getBytes(StandardCharsets.UTF_8);
    try (InputStream in1 =
        MessagePreparer.prepare(new OneByteAtATime(raw), CLOCK, "x.org", 1 << 20)) {
      assertThat(text(in1.readAllBytes())).isEqualTo(out);
    }
  }

  private static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty | '' | the message is empty",
        "no separator | From: a@x.org\\nSubject: x\\n | no empty line between its header and its"
            + " body",
        "body only | Hello there\\n\\nbye\\n | header line 1 ('Hello there') is not a header field",
        "mbox From line | From a@x.org Thu Nov 26\\nA: b\\n\\nx | header line 1",
        "starts with space | \\tA: b\\n\\nx | header line 1 starts with white space",
        "empty header | \\nbody\\n | starts with an empty line",
        "bad line later | A: b\\nnot a field\\n\\nx | header line 2 ('not a field')",
        "empty Message-ID | Message-ID:  \\nA: b\\n\\nx | the Message-ID field is empty",
      })
  void refusesMessagesWithoutAUsableHeader(String name, String in, String message) {
    assertThatThrownBy(() -> prepare(unescape(in)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void refusesAMessageOverTheSizeLimitWhileStreaming() throws IOException {
    byte[] raw = ("A: b\r\n\r\n" + "x".repeat(5000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    InputStream in = MessagePreparer.prepare(new ByteArrayInputStream(raw), CLOCK, "x.org", 4096);
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("larger than the limit of 4096 bytes");
  }

  @Test
  void readsOnlyTheHeaderUpFrontAndStreamsTheBody() throws IOException {
    long bodySize = 50L << 20; // 50 MiB, never held in memory
    CountingBody raw =
        new CountingBody("A: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII), bodySize);
    InputStream in = MessagePreparer.prepare(raw, CLOCK, "x.org", 100L << 20);
    assertThat(raw.served).isLessThan(64 * 1024);
    byte[] buf = new byte[65536];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
    }
    // every 77th body byte is a bare LF that became CRLF; plus the added Date and Message-ID
    long lfs = bodySize / 77;
    assertThat(total).isGreaterThan(bodySize + lfs).isLessThan(bodySize + lfs + 200);
    assertThat(raw.served).isEqualTo(8 + bodySize);
  }

  @Test
  void refusesABadDomainAndLimit() {
    InputStream in = new ByteArrayInputStream(new byte[0]);
    assertThatThrownBy(() -> MessagePreparer.prepare(in, CLOCK, "bad domain"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad domain'");
    assertThatThrownBy(() -> MessagePreparer.prepare(in, CLOCK, "x.org", 0))
        .hasMessageContaining("limit 0");
  }

  @Test
  void messageIdsAreUnique() {
    assertThat(MessagePreparer.newMessageId("x.org"))
        .isNotEqualTo(MessagePreparer.newMessageId("x.org"))
        .matches("<[0-9a-z]{26}@x\\.org>");
  }

  /** Serves one byte per read call. */
  private static final class OneByteAtATime extends InputStream {
    private final byte[] data;
    private int pos;

    OneByteAtATime(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      b[off] = data[pos++];
      return 1;
    }
  }

  /** A header then {@code size} body bytes made up on the fly; counts what was served. */
  private static final class CountingBody extends InputStream {
    private final byte[] header;
    private final long size;
    long served;

    CountingBody(byte[] header, long size) {
      this.header = header;
      this.size = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      long total = header.length + size;
      if (served >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - served);
      for (int i = 0; i < n; i++) {
        long p = served + i;
        b[off + i] = p < header.length ? header[(int) p] : (byte) ((p % 77) == 76 ? '\n' : 'a');
      }
      served += n;
      return n;
    }
  }
}
