package io.twinpath.hw.modem.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AtParserTest {
  /** Records everything the parser emits, as readable strings. */
  static final class Recorder implements AtParser.Sink {
    final List<String> events = new ArrayList<>();
    boolean wantPrompt;
    boolean rawOnConnect;

    @Override
    public boolean line(String line) {
      events.add("line:" + line);
      return rawOnConnect && line.startsWith("CONNECT");
    }

    @Override
    public boolean promptWanted() {
      return wantPrompt;
    }

    @Override
    public void prompt() {
      events.add("prompt");
    }

    @Override
    public void payload(PayloadRule rule, String header, byte[] data) {
      events.add("payload:" + header + ":" + new String(data, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void raw(byte[] buf, int off, int len) {
      String s = new String(buf, off, len, StandardCharsets.ISO_8859_1);
      int last = events.size() - 1;
      if (last >= 0 && events.get(last).startsWith("raw:")) {
        events.set(last, events.get(last) + s);
      } else {
        events.add("raw:" + s);
      }
    }

    @Override
    public void rawEnded(String result) {
      events.add("end:" + result);
    }
  }

  private static List<String> parse(Recorder r, List<PayloadRule> rules, String input, int chunk) {
    AtParser p = new AtParser(rules, r);
    byte[] b = input.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < b.length; i += chunk) {
      p.feed(b, i, Math.min(chunk, b.length - i));
    }
    p.idle();
    return r.events;
  }

  @ParameterizedTest(name = "reads of {0} bytes")
  @ValueSource(ints = {1, 2, 3, 5, 7, 64})
  void signalReplyIsTwoLinesWhateverTheFragmentation(int chunk) {
    String in =
        "\r\n" // leading CRLF of every response
            + "+CSQ: 20,99\r\n" // information line: rssi 20, ber unknown
            + "\r\n"
            + "OK\r\n"; // final result
    assertThat(parse(new Recorder(), List.of(), in, chunk))
        .containsExactly("line:+CSQ: 20,99", "line:OK");
  }

  @ParameterizedTest(name = "reads of {0} bytes")
  @ValueSource(ints = {1, 3, 4, 1000})
  void binaryPayloadIsReadByLengthEvenWhenItLooksLikeAResult(int chunk) {
    List<PayloadRule> rules = Sim7600Dialect.PAYLOADS;
    String in =
        "\r\n+CIPRXGET: 2,0,7,0\r\n" // header: link 0, 7 bytes read, 0 left
            + "OK\r\n>\r\n" // the 7 payload bytes: they look like a result and a prompt
            + "\r\nOK\r\n"; // the real final result
    Recorder r = new Recorder();
    r.wantPrompt = true;
    assertThat(parse(r, rules, in, chunk))
        .containsExactly("payload:+CIPRXGET: 2,0,7,0:OK\r\n>\r\n", "line:OK");
  }

  @Test
  void quectelReadHeaderAndEmptyRead() {
    String in =
        "\r\n+QIRD: 5\r\n" // header: 5 bytes
            + "hello" // payload
            + "\r\n\r\nOK\r\n" // final result
            + "\r\n+QIRD: 0\r\n\r\nOK\r\n"; // nothing waiting: empty payload
    assertThat(parse(new Recorder(), QuectelDialect.PAYLOADS, in, 2))
        .containsExactly("payload:+QIRD: 5:hello", "line:OK", "payload:+QIRD: 0:", "line:OK");
  }

  @ParameterizedTest(name = "reads of {0} bytes")
  @ValueSource(ints = {1, 2, 64})
  void promptIsACharacterWithoutLineEnd(int chunk) {
    Recorder r = new Recorder();
    r.wantPrompt = true;
    assertThat(parse(r, List.of(), "\r\n> ", chunk)).containsExactly("prompt");
  }

  @Test
  void greaterThanIsTextWhenNoPromptIsWanted() {
    assertThat(parse(new Recorder(), List.of(), "> stray\r\n", 3)).containsExactly("line:> stray");
  }

  @Test
  void garbageBytesBecomeLinesAndOverlongGarbageIsDropped() {
    String junk = "\u0000\u00ff#garbage".repeat(400); // > MAX_LINE without a line end
    Recorder r = new Recorder();
    AtParser p = new AtParser(List.of(), r);
    byte[] b = (junk + "\r\nOK\r\n").getBytes(StandardCharsets.ISO_8859_1);
    p.feed(b, 0, b.length);
    assertThat(r.events.get(r.events.size() - 1)).isEqualTo("line:OK");
    assertThat(p.garbageLines()).isGreaterThan(0);
  }

  @ParameterizedTest(name = "reads of {0} bytes")
  @ValueSource(ints = {1, 3, 64})
  void transparentSessionCarriesRawDataUntilNoCarrier(int chunk) {
    Recorder r = new Recorder();
    r.rawOnConnect = true;
    String in =
        "\r\nCONNECT\r\n" // the session starts
            + "220 smtp ready\r\nNO\r\n" // raw data, including a line that starts like NO CARRIER
            + "\r\nNO CARRIER\r\n" // the session ends
            + "\r\nOK\r\n"; // back to lines
    assertThat(parse(r, List.of(), in, chunk))
        .containsExactly(
            "line:CONNECT", "raw:220 smtp ready\r\nNO\r\n", "end:NO CARRIER", "line:OK");
  }

  @Test
  void escapeEndsTheSessionOnOk() {
    Recorder r = new Recorder();
    r.rawOnConnect = true;
    AtParser p = new AtParser(List.of(), r);
    byte[] a = "\r\nCONNECT\r\nOK\r\n".getBytes(StandardCharsets.ISO_8859_1);
    p.feed(a, 0, a.length);
    p.idle();
    p.escaping(true);
    byte[] b = "\r\nOK\r\n".getBytes(StandardCharsets.ISO_8859_1);
    p.feed(b, 0, b.length);
    assertThat(r.events).containsExactly("line:CONNECT", "raw:OK\r\n", "end:OK");
  }
}
