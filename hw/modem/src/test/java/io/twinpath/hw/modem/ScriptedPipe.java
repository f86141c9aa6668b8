package io.twinpath.hw.modem;

import io.twinpath.hw.serial.BytePipe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A lock-step modem double: it expects the driver's writes in order and releases the scripted
 * answer after each, and hands out at most {@code maxRead} bytes a read so every parser sees
 * fragmented input.
 */
public final class ScriptedPipe implements BytePipe {
  private sealed interface Step permits Expect, Send {}

  private record Expect(byte[] bytes) implements Step {}

  private record Send(byte[] bytes) implements Step {}

  private final Deque<Step> script = new ArrayDeque<>();
  private final int maxRead;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final ByteArrayOutputStream readable = new ByteArrayOutputStream();
  private int readPos;
  private final List<String> mismatches = new ArrayList<>();
  private final ByteArrayOutputStream allWritten = new ByteArrayOutputStream();
  private boolean closed;
  private int waitingReaders;

  public ScriptedPipe(int maxRead) {
    this.maxRead = maxRead;
  }

  /** The driver must write exactly this next. */
  public synchronized ScriptedPipe expect(String s) {
    return expect(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  public synchronized ScriptedPipe expect(byte[] b) {
    script.add(new Expect(b));
    return this;
  }

  /** The modem says this (after the preceding expectation was met). */
  public synchronized ScriptedPipe send(String s) {
    return send(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  public synchronized ScriptedPipe send(byte[] b) {
    script.add(new Send(b));
    release();
    return this;
  }

  /** Shortcut: expect {@code cmd + CR}, then answer. */
  public ScriptedPipe on(String cmd, String answer) {
    expect(cmd + "\r");
    return send(answer);
  }

  private void release() {
    while (!script.isEmpty() && script.peek() instanceof Send s && pending.size() == 0) {
      script.poll();
      readable.writeBytes(s.bytes());
      notifyAll();
    }
  }

  @Override
  public synchronized int read(byte[] buf, int off, int len, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (readPos >= readable.size()) {
      if (closed) {
        throw new IOException("scripted pipe closed");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return 0;
      }
      waitingReaders++;
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      } finally {
        waitingReaders--;
      }
    }
    byte[] all = readable.toByteArray();
    int n = Math.min(Math.min(len, maxRead), all.length - readPos);
    System.arraycopy(all, readPos, buf, off, n);
    readPos += n;
    return n;
  }

  @Override
  public synchronized void write(byte[] buf, int off, int len) {
    allWritten.write(buf, off, len);
    pending.write(buf, off, len);
    while (pending.size() > 0) {
      Step head = script.peek();
      byte[] got = pending.toByteArray();
      if (!(head instanceof Expect e)) {
        mismatches.add("unexpected write: " + show(got));
        pending.reset();
        return;
      }
      byte[] want = e.bytes();
      int n = Math.min(want.length, got.length);
      if (!Arrays.equals(got, 0, n, want, 0, n)) {
        mismatches.add("expected " + show(want) + " but got " + show(got));
        pending.reset();
        script.poll();
        return;
      }
      if (got.length < want.length) {
        return; // partial; wait for more
      }
      script.poll();
      pending.reset();
      pending.write(got, want.length, got.length - want.length);
      if (pending.size() == 0) {
        release();
      }
    }
  }

  /**
   * True when the driver has read everything the modem said so far and is back waiting for more:
   * what it read has been handled.
   */
  public synchronized boolean drained() {
    return readPos >= readable.size() && waitingReaders > 0;
  }

  /** What the driver wrote, all of it. */
  public synchronized String written() {
    return allWritten.toString(StandardCharsets.ISO_8859_1);
  }

  /** Empty when every expectation was met in order. */
  public synchronized List<String> problems() {
    List<String> p = new ArrayList<>(mismatches);
    for (Step s : script) {
      if (s instanceof Expect e) {
        p.add("never written: " + show(e.bytes()));
        break;
      }
    }
    return p;
  }

  private static String show(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }
}
