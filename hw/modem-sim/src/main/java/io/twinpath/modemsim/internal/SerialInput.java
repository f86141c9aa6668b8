package io.twinpath.modemsim.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The modem's serial input on the loop thread: command lines, fixed-length and 0x1A-terminated
 * payloads, and data mode with its {@code +++} escape.
 */
final class SerialInput {
  private enum Mode {
    COMMAND,
    FIXED,
    TERMINATED,
    DATA
  }

  private final ModemCore core;
  private final Consumer<String> commandLine;
  private boolean echo;
  private Mode mode = Mode.COMMAND;
  private final ByteArrayOutputStream lineBuf = new ByteArrayOutputStream();
  private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
  private int fixedLength;
  private int payloadGeneration;
  private Consumer<byte[]> fixedDone = b -> {};
  private Consumer<byte[]> terminatedDone = b -> {};
  private Runnable terminatedAbort = () -> {};
  private boolean dropStraySub;
  private ModemCore.@Nullable DataSink sink;
  private long lastDataNanos;
  private int plusCount;
  private long firstPlusNanos;
  private int escapeToken;

  /** {@code commandLine} receives each line ended by {@code <CR>}. */
  SerialInput(ModemCore core, Consumer<String> commandLine) {
    this.core = core;
    this.commandLine = commandLine;
  }

  void setEcho(boolean on) {
    echo = on;
  }

  /** Back to command mode with empty buffers (boot). */
  void reset() {
    mode = Mode.COMMAND;
    lineBuf.reset();
    payload.reset();
  }

  void feed(SerialLine.Chunk chunk) {
    if (core.silent()) {
      return;
    }
    byte[] b = chunk.bytes();
    for (int i = 0; i < b.length; i++) {
      if (core.silent()) {
        return;
      }
      switch (mode) {
        case COMMAND -> commandByte(b[i]);
        case FIXED -> {
          int take = Math.min(fixedLength - payload.size(), b.length - i);
          payload.write(b, i, take);
          i += take - 1;
          if (payload.size() == fixedLength) {
            byte[] got = payload.toByteArray();
            payload.reset();
            mode = Mode.COMMAND;
            dropStraySub = true;
            payloadGeneration++;
            fixedDone.accept(got);
          }
        }
        case TERMINATED -> terminatedByte(b[i]);
        case DATA -> dataByte(b[i], chunk.nanos());
      }
    }
  }

  private void commandByte(byte b) {
    if (dropStraySub) {
      dropStraySub = false;
      if (b == 0x1A) {
        return;
      }
    }
    if (echo) {
      core.raw(new byte[] {b});
    }
    if (b == '\r') {
      String text = lineBuf.toString(StandardCharsets.ISO_8859_1);
      lineBuf.reset();
      commandLine.accept(text);
    } else if (b == '\n') {
      // ignored: commands end with <CR>
    } else if (b == 0x08) {
      byte[] cur = lineBuf.toByteArray();
      lineBuf.reset();
      if (cur.length > 0) {
        lineBuf.write(cur, 0, cur.length - 1);
      }
    } else if (lineBuf.size() < 4096) {
      lineBuf.write(b);
    }
  }

  private void terminatedByte(byte b) {
    if (b == 0x1A) {
      byte[] got = payload.toByteArray();
      payload.reset();
      mode = Mode.COMMAND;
      terminatedDone.accept(got);
    } else if (b == 0x1B) {
      payload.reset();
      mode = Mode.COMMAND;
      terminatedAbort.run();
    } else if (payload.size() < 8192) {
      payload.write(b);
    }
  }

  /** Takes exactly {@code length} bytes next (a socket payload after the {@code >} prompt). */
  void expectFixed(int length, Consumer<byte[]> done, @Nullable Duration timeout, Runnable late) {
    mode = Mode.FIXED;
    fixedLength = length;
    payload.reset();
    fixedDone = done;
    int gen = ++payloadGeneration;
    if (timeout != null) {
      core.loop()
          .schedule(
              () -> {
                if (mode == Mode.FIXED && payloadGeneration == gen) {
                  mode = Mode.COMMAND;
                  payload.reset();
                  payloadGeneration++;
                  late.run();
                }
              },
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
    }
  }

  /** Takes bytes up to 0x1A (send) or 0x1B (abort): SMS text or PDU. */
  void expectTerminated(Consumer<byte[]> done, Runnable abort) {
    mode = Mode.TERMINATED;
    payload.reset();
    terminatedDone = done;
    terminatedAbort = abort;
  }

  /** Enters data mode: every byte goes to {@code s} until {@code +++} or {@link #leaveData}. */
  void enterData(ModemCore.DataSink s) {
    mode = Mode.DATA;
    sink = s;
    lastDataNanos = System.nanoTime();
    plusCount = 0;
    escapeToken++;
  }

  /** Leaves data mode (remote close, context lost). */
  void leaveData() {
    if (mode == Mode.DATA) {
      mode = Mode.COMMAND;
      sink = null;
      plusCount = 0;
      escapeToken++;
    }
  }

  boolean inDataMode() {
    return mode == Mode.DATA;
  }

  private void dataByte(byte b, long nanos) {
    ModemCore.DataSink s = sink;
    if (s == null) {
      return;
    }
    long guard = core.config().guardTime().toNanos();
    if (plusCount == 0) {
      if (b == '+' && nanos - lastDataNanos >= guard) {
        plusCount = 1;
        firstPlusNanos = nanos;
      } else {
        s.data(new byte[] {b});
      }
    } else if (plusCount < 3 && b == '+' && nanos - firstPlusNanos <= guard) {
      plusCount++;
      if (plusCount == 3) {
        int token = ++escapeToken;
        long wait = guard - (System.nanoTime() - nanos);
        core.loop().schedule(() -> escapeIfQuiet(token), Math.max(0, wait), TimeUnit.NANOSECONDS);
      }
    } else {
      byte[] held = new byte[plusCount + 1];
      for (int i = 0; i < plusCount; i++) {
        held[i] = '+';
      }
      held[plusCount] = b;
      plusCount = 0;
      escapeToken++;
      s.data(held);
    }
    lastDataNanos = nanos;
  }

  private void escapeIfQuiet(int token) {
    if (mode != Mode.DATA || token != escapeToken || plusCount != 3) {
      return;
    }
    ModemCore.DataSink s = sink;
    mode = Mode.COMMAND;
    sink = null;
    plusCount = 0;
    core.line("OK");
    if (s != null) {
      s.escaped();
    }
  }
}
