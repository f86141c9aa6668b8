package io.twinpath.hw.modem.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the parser on the reader thread delivers: URCs to their handlers, the rest to the active
 * exchange, raw bytes to the transparent session.
 */
final class ReaderSink implements AtParser.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(AtEngine.class);

  private final AtEngine engine;
  private final UrcTable urcs;

  ReaderSink(AtEngine engine, UrcTable urcs) {
    this.engine = engine;
    this.urcs = urcs;
  }

  @Override
  public boolean line(String line) {
    AtEngine.Exchange ex = engine.active();
    boolean claimed = ex != null && ex.claims(line);
    if (!claimed && urcs.dispatch(line, null)) {
      return false;
    }
    if (ex != null) {
      LOG.trace("< {}", line);
      ex.inbox().add(new Inbox.LineEv(line));
      return ex.rawAfterConnect() && line.startsWith("CONNECT");
    }
    LOG.debug("unsolicited line ignored on {}: {}", engine.pipeName(), AtText.printable(line));
    return false;
  }

  @Override
  public boolean promptWanted() {
    AtEngine.Exchange ex = engine.active();
    return ex != null && ex.promptWanted();
  }

  @Override
  public void prompt() {
    AtEngine.Exchange ex = engine.active();
    if (ex != null) {
      ex.inbox().add(Inbox.Signal.PROMPT);
    }
  }

  @Override
  public void payload(PayloadRule rule, String header, byte[] data) {
    if (rule.urc() && urcs.dispatch(header, data)) {
      return;
    }
    AtEngine.Exchange ex = engine.active();
    if (ex != null) {
      ex.inbox().add(new Inbox.PayloadEv(header, data));
    } else {
      LOG.debug("payload of {} bytes with no command waiting, dropped: {}", data.length, header);
    }
  }

  @Override
  public void raw(byte[] buf, int off, int len) {
    AtEngine.RawSink rs = engine.rawSink();
    LOG.trace("< {} raw bytes", len);
    if (rs != null) {
      rs.data(buf, off, len);
    } else {
      LOG.debug("{} raw bytes with no transparent session, dropped", len);
    }
  }

  @Override
  public void rawEnded(String result) {
    AtEngine.RawSink rs = engine.rawSink();
    engine.setRawSink(null);
    if (rs != null) {
      rs.ended(result);
    }
    AtEngine.Exchange ex = engine.active();
    if (ex != null) {
      ex.inbox().add(new Inbox.LineEv(result));
    }
  }
}
