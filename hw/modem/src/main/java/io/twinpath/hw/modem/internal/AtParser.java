package io.twinpath.hw.modem.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns the modem's byte stream into lines, {@code >} prompts, length-framed binary payloads and,
 * during a transparent session, raw data. Fed by one reader thread; reads may be fragmented
 * anywhere.
 */
public final class AtParser {
  /** Where parsed items go. Called on the reader thread. */
  public interface Sink {
    /**
     * A complete, trimmed, non-empty line that is not a payload header.
     *
     * @return true when the stream carries raw data from here on (the CONNECT of a transparent
     *     session)
     */
    boolean line(String line);

    /** True while a command waits for its {@code >} prompt. */
    boolean promptWanted();

    void prompt();

    void payload(PayloadRule rule, String header, byte[] data);

    void raw(byte[] buf, int off, int len);

    /** The transparent session ended with this result ({@code NO CARRIER}, or {@code OK}). */
    void rawEnded(String result);
  }

  /** Longer lines are garbage: they are dropped. */
  static final int MAX_LINE = 2048;

  private static final byte[] NO_CARRIER = "\r\nNO CARRIER\r".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ESCAPED_OK = "\r\nOK\r".getBytes(StandardCharsets.US_ASCII);

  private enum Mode {
    LINE,
    PAYLOAD,
    RAW
  }

  private final List<PayloadRule> rules;
  private final Sink sink;
  private final StringBuilder line = new StringBuilder();
  private Mode mode = Mode.LINE;
  private boolean skipLf;
  private long garbageLines;

  private @Nullable PayloadRule payloadRule;
  private String payloadHeader = "";
  private byte[] payload = new byte[0];
  private int payloadFill;

  private final ByteArrayOutputStream rawOut = new ByteArrayOutputStream();
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();
  private volatile boolean escaping;

  public AtParser(List<PayloadRule> rules, Sink sink) {
    this.rules = List.copyOf(rules);
    this.sink = sink;
  }

  /** Feeds bytes as they came from the pipe. */
  public synchronized void feed(byte[] buf, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      switch (mode) {
        case LINE -> i = lineByte(buf, i);
        case PAYLOAD -> i = payloadBytes(buf, i, end);
        case RAW -> i = rawByte(buf, i);
      }
    }
    flushRaw();
  }

  /** The line went quiet: bytes held back while looking for an end of session are data. */
  public synchronized void idle() {
    if (mode == Mode.RAW && held.size() > 0) {
      rawOut.write(held.toByteArray(), 0, held.size());
      held.reset();
      flushRaw();
    }
  }

  /** Forgets any partial line or payload and returns to line mode (after a resync). */
  public synchronized void reset() {
    flushRaw();
    mode = Mode.LINE;
    line.setLength(0);
    held.reset();
    skipLf = false;
    escaping = false;
  }

  /** While set, {@code OK} on a line of its own ends a transparent session (after {@code +++}). */
  public void escaping(boolean on) {
    escaping = on;
  }

  public synchronized boolean inRaw() {
    return mode == Mode.RAW;
  }

  /** Lines dropped because they exceeded {@link #MAX_LINE}. */
  public long garbageLines() {
    return garbageLines;
  }

  private int lineByte(byte[] buf, int i) {
    byte b = buf[i];
    if (b == '\r' || b == '\n') {
      if (b == '\n' && skipLf) {
        skipLf = false;
        return i + 1;
      }
      skipLf = false;
      endLine(b == '\r');
      return i + 1;
    }
    skipLf = false;
    if (b == '>' && line.length() == 0 && sink.promptWanted()) {
      sink.prompt();
      return i + 1;
    }
    if (line.length() >= MAX_LINE) {
      garbageLines++;
      line.setLength(0);
    }
    line.append((char) (b & 0xff));
    return i + 1;
  }

  private void endLine(boolean endedByCr) {
    String text = line.toString().strip();
    line.setLength(0);
    if (text.isEmpty()) {
      return;
    }
    for (PayloadRule rule : rules) {
      int n = rule.length(text);
      if (n >= 0) {
        skipLf = endedByCr;
        if (n == 0) {
          sink.payload(rule, text, new byte[0]);
        } else {
          mode = Mode.PAYLOAD;
          payloadRule = rule;
          payloadHeader = text;
          payload = new byte[n];
          payloadFill = 0;
        }
        return;
      }
    }
    if (sink.line(text)) {
      skipLf = endedByCr;
      mode = Mode.RAW;
      held.reset();
    }
  }

  private int payloadBytes(byte[] buf, int i, int end) {
    if (skipLf) {
      skipLf = false;
      if (buf[i] == '\n') {
        return i + 1;
      }
    }
    int n = Math.min(end - i, payload.length - payloadFill);
    System.arraycopy(buf, i, payload, payloadFill, n);
    payloadFill += n;
    if (payloadFill == payload.length) {
      mode = Mode.LINE;
      PayloadRule rule = payloadRule;
      payloadRule = null;
      if (rule != null) {
        sink.payload(rule, payloadHeader, payload);
      }
      payload = new byte[0];
    }
    return i + n;
  }

  private int rawByte(byte[] buf, int i) {
    byte b = buf[i];
    if (skipLf) {
      skipLf = false;
      if (b == '\n') {
        return i + 1;
      }
    }
    int k = held.size();
    if (k > 0) {
      boolean carrier = k < NO_CARRIER.length && NO_CARRIER[k] == b && prefixOf(NO_CARRIER);
      boolean ok = escaping && k < ESCAPED_OK.length && ESCAPED_OK[k] == b && prefixOf(ESCAPED_OK);
      if (carrier || ok) {
        held.write(b);
        byte[] term = carrier ? NO_CARRIER : ESCAPED_OK;
        if (held.size() == term.length) {
          held.reset();
          flushRaw();
          mode = Mode.LINE;
          skipLf = true;
          escaping = false;
          sink.rawEnded(carrier ? "NO CARRIER" : "OK");
        }
        return i + 1;
      }
      rawOut.write(held.toByteArray(), 0, k);
      held.reset();
    }
    if (b == '\r') {
      held.write(b); // may start the modem's CR LF NO CARRIER CR LF
    } else {
      rawOut.write(b);
    }
    return i + 1;
  }

  private boolean prefixOf(byte[] term) {
    byte[] h = held.toByteArray();
    for (int j = 0; j < h.length; j++) {
      if (h[j] != term[j]) {
        return false;
      }
    }
    return true;
  }

  private void flushRaw() {
    if (rawOut.size() > 0) {
      byte[] data = rawOut.toByteArray();
      rawOut.reset();
      sink.raw(data, 0, data.length);
    }
  }
}
