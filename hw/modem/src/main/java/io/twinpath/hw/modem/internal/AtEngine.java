package io.twinpath.hw.modem.internal;

import io.twinpath.hw.Sleeper;
import io.twinpath.hw.modem.ModemException;
import io.twinpath.hw.serial.BytePipe;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AT engine: one reader thread parses everything the modem says; one {@link Exchange} at a time
 * sends commands and waits for their results; URCs are recognised inside every wait and handed to
 * their handlers. It knows only a {@link BytePipe}.
 */
public final class AtEngine implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(AtEngine.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final int RESYNC_ATTEMPTS = 4;

  /** Handles one unsolicited result code. Runs on the reader thread: record and signal only. */
  @FunctionalInterface
  public interface UrcHandler {
    void handle(Matcher match, byte @Nullable [] payload);
  }

  /** Receives the raw bytes of a transparent session. */
  public interface RawSink {
    void data(byte[] buf, int off, int len);

    void ended(String result);
  }

  private final BytePipe pipe;
  private final Sleeper sleeper;
  private final Duration guardTime;
  private final AtParser parser;
  private final Thread reader;
  private final Semaphore permit = new Semaphore(1, true);
  private final UrcTable urcs = new UrcTable();
  private volatile @Nullable Exchange active;
  private volatile @Nullable RawSink rawSink;
  private volatile boolean closed;
  private volatile @Nullable IOException broken;
  private volatile boolean needsResync;
  private volatile boolean resyncFailed;
  private volatile boolean resetParser;

  private AtEngine(BytePipe pipe, List<PayloadRule> rules, Sleeper sleeper, Duration guardTime) {
    this.pipe = pipe;
    this.sleeper = sleeper;
    this.guardTime = guardTime;
    this.parser = new AtParser(rules, new ReaderSink(this, urcs));
    this.reader = new Thread(this::readLoop, "at-reader-" + pipe.name());
    this.reader.setDaemon(true);
  }

  /**
   * Starts the reader thread on {@code pipe}.
   *
   * @param rules the dialect's binary payload headers
   * @param guardTime the silence before and after {@code +++}
   */
  public static AtEngine start(
      BytePipe pipe, List<PayloadRule> rules, Sleeper sleeper, Duration guardTime) {
    AtEngine e = new AtEngine(pipe, rules, sleeper, guardTime);
    e.reader.start();
    return e;
  }

  /** Registers a handler for lines matching {@code regex} as a whole. */
  public void onUrc(String regex, UrcHandler handler) {
    urcs.add(regex, handler);
  }

  /**
   * Takes the modem for a series of steps. Lines matching {@code claims} go to this exchange even
   * when they look like URCs. Resynchronises first when an earlier command went unanswered; once a
   * full resynchronisation has failed, that is a single {@code AT} until the modem answers again
   * (so a modem known to be silent holds each exchange for one {@code AT}, not the whole sequence).
   */
  public Exchange acquire(Duration wait, Collection<Pattern> claims) throws IOException {
    try {
      if (!permit.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException(
            "the modem on " + pipe.name() + " stayed busy for " + wait.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the modem");
    }
    Exchange ex = new Exchange(List.copyOf(claims));
    active = ex;
    try {
      checkBroken();
      if (needsResync) {
        ex.resync(resyncFailed ? 1 : RESYNC_ATTEMPTS);
      }
    } catch (IOException | RuntimeException e) {
      ex.close();
      throw e;
    }
    return ex;
  }

  /** Runs a single step in its own exchange. */
  public AtReply run(AtStep step, Map<String, String> args, Duration wait) throws IOException {
    try (Exchange ex = acquire(wait, step.claims())) {
      return ex.run(step, args);
    }
  }

  /** Forces a resynchronisation (AT until OK, with +++ and back-off). */
  public void resync(Duration wait) throws IOException {
    needsResync = true;
    try (Exchange ex = acquire(wait, List.of())) {
      if (needsResync) {
        ex.resync(RESYNC_ATTEMPTS);
      }
    }
  }

  public boolean needsResync() {
    return needsResync;
  }

  /** Lines dropped as garbage (too long) so far. */
  public long garbageLines() {
    return parser.garbageLines();
  }

  public String pipeName() {
    return pipe.name();
  }

  @Override
  public void close() {
    closed = true;
    try {
      pipe.close();
    } catch (IOException e) {
      LOG.debug("closing {}: {}", pipe.name(), e.toString());
    }
    reader.interrupt();
  }

  private void checkBroken() throws IOException {
    IOException b = broken;
    if (b != null) {
      throw new IOException("the modem line " + pipe.name() + " is broken: " + b.getMessage(), b);
    }
    if (closed) {
      throw new IOException("the modem on " + pipe.name() + " is closed");
    }
  }

  @Nullable Exchange active() {
    return active;
  }

  @Nullable RawSink rawSink() {
    return rawSink;
  }

  void setRawSink(@Nullable RawSink sink) {
    rawSink = sink;
  }

  private void readLoop() {
    byte[] buf = new byte[4096];
    try {
      while (!closed) {
        if (resetParser) {
          resetParser = false;
          parser.reset();
        }
        int n = pipe.read(buf, 0, buf.length, POLL);
        if (n <= 0) {
          parser.idle();
          continue;
        }
        try {
          parser.feed(buf, 0, n);
        } catch (RuntimeException e) {
          LOG.warn("modem parser failed on {} bytes; resynchronising: {}", n, e.toString());
          resetParser = true;
        }
      }
    } catch (IOException e) {
      if (!closed) {
        LOG.warn("modem line {} failed: {}", pipe.name(), e.toString());
        broken = e;
        Exchange ex = active;
        if (ex != null) {
          ex.inbox.add(Inbox.Signal.BROKEN);
        }
        RawSink rs = rawSink;
        if (rs != null) {
          rs.ended("line broken");
        }
      }
    }
  }

  /** Exclusive use of the modem for a series of steps. Close it to let others in. */
  public final class Exchange implements AutoCloseable {
    private final List<Pattern> claims;
    private final Inbox inbox = new Inbox();
    private volatile boolean promptWanted;
    private volatile boolean rawAfterConnect;
    private boolean released;

    private Exchange(List<Pattern> claims) {
      this.claims = claims;
    }

    boolean claims(String line) {
      for (Pattern p : claims) {
        if (p.matcher(line).matches()) {
          return true;
        }
      }
      return false;
    }

    Inbox inbox() {
      return inbox;
    }

    boolean promptWanted() {
      return promptWanted;
    }

    boolean rawAfterConnect() {
      return rawAfterConnect;
    }

    public AtReply run(AtStep step, Map<String, String> args) throws IOException {
      return run(step, args, null);
    }

    /** Runs a step; {@code payload} goes out after the {@code >} prompt of a prompt step. */
    public AtReply run(AtStep step, Map<String, String> args, byte @Nullable [] payload)
        throws IOException {
      checkBroken();
      String display = step.display(args);
      String request = step.request();
      if (request != null) {
        inbox.drainStale();
      }
      promptWanted = step.prompt();
      rawAfterConnect = step.connect();
      try {
        if (request != null) {
          LOG.debug("> {}", display);
          writeBytes((step.render(args) + "\r").getBytes(StandardCharsets.ISO_8859_1));
        }
        return await(step, display, payload);
      } finally {
        promptWanted = false;
        rawAfterConnect = false;
      }
    }

    private AtReply await(AtStep step, String display, byte @Nullable [] payload)
        throws IOException {
      long deadline = System.nanoTime() + step.timeout().toNanos();
      List<String> lines = new ArrayList<>();
      List<AtReply.Payload> payloads = new ArrayList<>();
      boolean prompted = !step.prompt();
      while (true) {
        long left = deadline - System.nanoTime();
        Object ev;
        try {
          ev = left <= 0 ? null : inbox.poll(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          needsResync = true;
          throw new InterruptedIOException("interrupted during " + display);
        }
        if (ev == null) {
          if (step.request() != null) {
            needsResync = true;
          }
          throw AtText.timeout(step, display, prompted, lines);
        }
        if (ev == Inbox.Signal.BROKEN) {
          checkBroken();
          throw new IOException("the modem line broke during " + display);
        }
        if (ev == Inbox.Signal.PROMPT) {
          if (!prompted) {
            prompted = true;
            promptWanted = false;
            byte[] p = payload == null ? new byte[0] : payload;
            writeBytes(p);
            if (step.terminator() >= 0) {
              writeBytes(new byte[] {(byte) step.terminator()});
            }
          }
          continue;
        }
        if (ev instanceof Inbox.PayloadEv pe) {
          payloads.add(new AtReply.Payload(pe.header(), pe.data()));
          lines.add(pe.header());
          continue;
        }
        String line = ((Inbox.LineEv) ev).line();
        for (Pattern p : step.failure()) {
          if (p.matcher(line).matches()) {
            throw AtText.failed(display, line, lines);
          }
        }
        for (Pattern p : step.success()) {
          if (p.matcher(line).matches()) {
            return new AtReply(List.copyOf(lines), line, List.copyOf(payloads));
          }
        }
        lines.add(line);
      }
    }

    /** Writes raw bytes (transparent sessions). */
    public void writeRaw(byte[] buf, int off, int len) throws IOException {
      checkBroken();
      pipe.write(buf, off, len);
    }

    /** Sets where the raw bytes of a transparent session go (before the CONNECT step). */
    public void rawSink(@Nullable RawSink sink) {
      rawSink = sink;
    }

    /**
     * Leaves a transparent session: silence, {@code +++}, silence, then waits for {@code OK}.
     *
     * @return true when the modem confirmed with OK
     */
    public boolean escape(Duration wait) throws IOException {
      parser.escaping(true);
      sleepGuard();
      pipe.write("+++".getBytes(StandardCharsets.US_ASCII));
      sleepGuard();
      long deadline = System.nanoTime() + wait.toNanos();
      try {
        while (true) {
          long left = deadline - System.nanoTime();
          Object ev = left <= 0 ? null : inbox.poll(left);
          if (ev == null) {
            return false;
          }
          if (ev instanceof Inbox.LineEv l
              && (l.line().equals("OK") || l.line().equals("NO CARRIER"))) {
            parser.reset();
            return true;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted leaving the transparent session");
      } finally {
        parser.escaping(false);
      }
    }

    /** AT until OK; {@code +++} when that fails; back-off between attempts. */
    void resync(int attempts) throws IOException {
      Duration backoff = Duration.ofMillis(250);
      AtStep at = AtStep.cmd("AT").timeout(Duration.ofSeconds(1)).build();
      for (int attempt = 1; attempt <= attempts; attempt++) {
        if (attempt >= 2 || parser.inRaw()) {
          LOG.info("modem on {} not answering; sending +++ (attempt {})", pipe.name(), attempt);
          escape(Duration.ofMillis(500));
        }
        try {
          parser.reset();
          inbox.drainStale();
          writeBytes("AT\r".getBytes(StandardCharsets.US_ASCII));
          awaitOk(at);
          needsResync = false;
          resyncFailed = false;
          inbox.clear();
          LOG.info("modem on {} answers again (attempt {})", pipe.name(), attempt);
          return;
        } catch (ModemException e) {
          LOG.debug("resync attempt {} on {}: {}", attempt, pipe.name(), e.getMessage());
        }
        if (attempt == attempts) {
          break; // no pause before giving up
        }
        try {
          sleeper.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while resynchronising the modem");
        }
        backoff = backoff.multipliedBy(2);
      }
      resyncFailed = true;
      throw new ModemException(
          "the modem on "
              + pipe.name()
              + (attempts < RESYNC_ATTEMPTS
                  ? " still does not answer AT (nor did it to "
                      + RESYNC_ATTEMPTS
                      + " attempts with +++ before)"
                  : " does not answer AT after " + RESYNC_ATTEMPTS + " attempts (with +++)")
              + "; it may need a power cycle",
          "AT",
          "timeout",
          null,
          true,
          null);
    }

    private void awaitOk(AtStep at) throws IOException {
      long deadline = System.nanoTime() + at.timeout().toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        Object ev;
        try {
          ev = left <= 0 ? null : inbox.poll(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while resynchronising the modem");
        }
        if (ev == null) {
          throw new ModemException("no OK to AT", "AT", "timeout", null, true, null);
        }
        if (ev == Inbox.Signal.BROKEN) {
          checkBroken();
        }
        if (ev instanceof Inbox.LineEv l && l.line().equals("OK")) {
          return;
        }
      }
    }

    private void sleepGuard() throws InterruptedIOException {
      try {
        sleeper.sleep(guardTime);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted during the +++ guard time");
      }
    }

    private void writeBytes(byte[] b) throws IOException {
      pipe.write(b, 0, b.length);
    }

    /** Lets the next exchange in. */
    @Override
    public void close() {
      if (released) {
        return;
      }
      released = true;
      if (active == this) {
        active = null;
      }
      permit.release();
    }
  }
}
