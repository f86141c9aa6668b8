package io.twinpath.modemsim.internal;

import static io.twinpath.modemsim.internal.QuectelState.CONTEXTS;
import static io.twinpath.modemsim.internal.QuectelState.MAX_READ;
import static io.twinpath.modemsim.internal.QuectelState.MAX_SEND;
import static io.twinpath.modemsim.internal.QuectelState.SOCKETS;

import io.twinpath.modemsim.SimConfig;
import io.twinpath.modemsim.internal.QuectelSocket.State;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * EC25 data side: QICSGP / QIACT / QIDEACT, QIOPEN in buffer (0), push (1) and transparent (2)
 * access modes, QISEND / QIRD / QICLOSE / QISTATE / QIGETERROR / QISWTMD, and the QIURC reports.
 */
final class QuectelData implements ModemCore.DataDialect {
  private final ModemCore core;
  private final SimConfig config;
  private final QuectelState st = new QuectelState();
  private final QuectelContexts contexts;

  QuectelData(ModemCore core) {
    this.core = core;
    this.config = core.config();
    this.contexts = new QuectelContexts(core, st);
  }

  @Override
  public void register(Map<String, ModemCore.Handler> t) {
    t.put("+QICSGP", contexts::qicsgp);
    t.put("+QIACT", contexts::qiact);
    t.put("+QIDEACT", contexts::qideact);
    t.put("+QIOPEN", this::qiopen);
    t.put("+QISEND", this::qisend);
    t.put("+QIRD", this::qird);
    t.put("+QICLOSE", this::qiclose);
    t.put("+QISTATE", this::qistate);
    t.put("+QIGETERROR", this::qigeterror);
    t.put("+QISWTMD", this::qiswtmd);
    t.put("O", this::resume);
    t.put("+QICFG", c -> "OK");
    t.put("+QIDNSCFG", c -> "OK");
  }

  // ------------------------------------------------------------------ sockets

  private @Nullable String qiopen(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int ctx = c.integer(0, 1, CONTEXTS);
    int id = c.integer(1, 0, SOCKETS - 1);
    String type = c.str(2).toUpperCase(Locale.ROOT);
    String host = c.str(3);
    int port = c.integer(4, 1, 65535);
    c.integerOr(5, 0, 0, 65535);
    int mode = c.integerOr(6, 0, 0, 2);
    if (!type.equals("TCP") || host.isEmpty()) {
      st.lastError = 552;
      throw AtError.plain();
    }
    if (st.socks[id] != null) {
      st.lastError = 563;
      throw AtError.plain();
    }
    if (!st.active[ctx] || st.broken[ctx]) {
      st.lastError = 572;
      if (mode == 2) {
        throw AtError.plain();
      }
      core.line("OK");
      core.urc("+QIOPEN: " + id + ",572");
      return null;
    }
    TcpLink link =
        new TcpLink(
            core.poster(),
            core.linkModel(),
            core.counters(),
            new QuectelSocketEvents(core, st, this, id),
            config.receiveBufferBytes(),
            host,
            port);
    st.socks[id] = new QuectelSocket(ctx, link, mode);
    if (mode != 2) {
      core.line("OK");
    }
    link.open(config.connectTimeout());
    return null;
  }

  private @Nullable String qisend(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.TEST) {
      core.line("+QISEND: (0-11),(0-1460)");
      return "OK";
    }
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int id = c.integer(0, 0, SOCKETS - 1);
    QuectelSocket s = st.socks[id];
    if (c.has(1) && c.integer(1) == 0) {
      if (s == null) {
        throw AtError.plain();
      }
      long total = s.link.accepted();
      long acked = s.link.delivered();
      core.line("+QISEND: " + total + "," + acked + "," + (total - acked));
      return "OK";
    }
    if (s == null || s.state != State.CONNECTED || s.accessMode == 2 && core.inDataMode()) {
      st.lastError = 567;
      throw AtError.plain();
    }
    if (!c.has(1)) {
      core.raw(">");
      core.expectTerminated(
          data -> finishSend(id, s, data.length > MAX_SEND ? null : data), () -> core.line("OK"));
      return null;
    }
    int len = c.integer(1, 1, MAX_SEND);
    core.raw(">");
    core.expectFixed(
        len,
        data -> finishSend(id, s, data),
        config.sendDataTimeout(),
        () -> {
          st.lastError = 569;
          core.line("ERROR");
        });
    return null;
  }

  private void finishSend(int id, QuectelSocket s, byte @Nullable [] data) {
    if (data == null) {
      core.line("ERROR");
      return;
    }
    if (st.socks[id] != s || s.state != State.CONNECTED) {
      st.lastError = 567;
      core.line("ERROR");
      return;
    }
    if (s.link.unsent() + data.length > config.sendBufferBytes()) {
      core.line("SEND FAIL");
      return;
    }
    s.link.send(data);
    core.line("SEND OK");
  }

  private String qird(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int id = c.integer(0, 0, SOCKETS - 1);
    QuectelSocket s = st.socks[id];
    if (s == null || s.accessMode == 1) {
      st.lastError = 567;
      throw AtError.plain();
    }
    if (c.has(1) && c.integer(1) == 0) {
      core.line("+QIRD: " + s.received + "," + s.read + "," + (s.received - s.read));
      return "OK";
    }
    int len = c.has(1) ? c.integer(1, 1, MAX_READ) : MAX_READ;
    byte[] data = s.link.read(len);
    s.read += data.length;
    core.line("+QIRD: " + data.length);
    if (data.length > 0) {
      core.raw(data);
      core.raw("\r\n");
    }
    if (s.link.buffered() == 0) {
      s.recvNotified = false;
    }
    return "OK";
  }

  private String qiclose(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int id = c.integer(0, 0, SOCKETS - 1);
    if (c.has(1)) {
      c.integer(1, 0, 65535);
    }
    QuectelSocket s = st.socks[id];
    if (s != null) {
      s.link.close();
      st.socks[id] = null;
      if (st.dataSock == id) {
        st.dataSock = -1;
      }
    }
    return "OK";
  }

  private String qistate(AtCommand c) throws AtError {
    int only = -1;
    int ctxOnly = -1;
    if (c.type() == AtCommand.Type.SET) {
      int query = c.integer(0, 0, 1);
      if (query == 1) {
        only = c.integer(1, 0, SOCKETS - 1);
      } else {
        ctxOnly = c.integer(1, 1, CONTEXTS);
      }
    } else if (c.type() == AtCommand.Type.TEST) {
      throw AtError.plain();
    }
    for (int i = 0; i < SOCKETS; i++) {
      QuectelSocket s = st.socks[i];
      if (s == null || (only >= 0 && only != i) || (ctxOnly >= 0 && s.ctx != ctxOnly)) {
        continue;
      }
      core.line(
          "+QISTATE: "
              + i
              + ",\"TCP\",\""
              + s.link.host()
              + "\","
              + s.link.port()
              + ","
              + (s.state == State.OPENING ? 0 : s.link.localPort())
              + ","
              + s.state.code
              + ","
              + s.ctx
              + ",0,"
              + s.accessMode
              + ",\"uart1\"");
    }
    return "OK";
  }

  private String qigeterror(AtCommand c) {
    core.line("+QIGETERROR: " + st.lastError + "," + QuectelState.errorText(st.lastError));
    return "OK";
  }

  private @Nullable String qiswtmd(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int id = c.integer(0, 0, SOCKETS - 1);
    int mode = c.integer(1, 0, 2);
    QuectelSocket s = st.socks[id];
    if (s == null || s.state != State.CONNECTED) {
      throw AtError.plain();
    }
    s.accessMode = mode;
    if (mode == 2) {
      core.line("CONNECT");
      enterData(id, s);
      return null;
    }
    return "OK";
  }

  private @Nullable String resume(AtCommand c) {
    if (st.dataSock < 0) {
      return "NO CARRIER";
    }
    QuectelSocket s = st.socks[st.dataSock];
    if (s == null || s.state != State.CONNECTED || core.inDataMode()) {
      return "NO CARRIER";
    }
    s.accessMode = 2;
    core.line("CONNECT");
    enterData(st.dataSock, s);
    return null;
  }

  /** Transparent mode on socket {@code id}; what it holds already goes out first. */
  void enterData(int id, QuectelSocket s) {
    st.dataSock = id;
    core.enterData(
        new ModemCore.DataSink() {
          @Override
          public void data(byte[] bytes) {
            if (!s.link.isDead()) {
              s.link.send(bytes);
            }
          }

          @Override
          public void escaped() {
            // the socket stays open in buffer mode; ATO or QISWTMD go back
            s.accessMode = 0;
            s.recvNotified = s.link.buffered() > 0;
          }
        });
    if (s.link.buffered() > 0) {
      byte[] pending = s.link.read(Integer.MAX_VALUE);
      s.read += pending.length;
      core.raw(pending);
    }
  }

  // ------------------------------------------------------------------ faults

  @Override
  public void reset() {
    for (int i = 0; i < SOCKETS; i++) {
      QuectelSocket s = st.socks[i];
      if (s != null) {
        s.link.abort();
      }
      st.socks[i] = null;
    }
    java.util.Arrays.fill(st.active, false);
    java.util.Arrays.fill(st.broken, false);
    java.util.Arrays.fill(st.apn, "");
    st.lastError = 0;
    st.dataSock = -1;
  }

  @Override
  public void contextLost() {
    for (int ctx = 1; ctx <= CONTEXTS; ctx++) {
      if (!st.active[ctx]) {
        continue;
      }
      st.active[ctx] = false;
      st.broken[ctx] = true;
      for (int i = 0; i < SOCKETS; i++) {
        QuectelSocket s = st.socks[i];
        if (s != null && s.ctx == ctx) {
          s.link.abort();
          if (s.state != State.CLOSING) {
            s.state = State.CLOSING;
            if (s.accessMode == 2 && core.inDataMode() && st.dataSock == i) {
              core.leaveData();
              st.dataSock = -1;
              core.line("NO CARRIER");
            }
          }
        }
      }
      st.lastError = 570;
      core.urc("+QIURC: \"pdpdeact\"," + ctx);
    }
  }

  @Override
  public void hangUpAll(boolean noCarrier) {
    for (int i = 0; i < SOCKETS; i++) {
      QuectelSocket s = st.socks[i];
      if (s != null && s.state == State.CONNECTED) {
        s.link.abort();
        new QuectelSocketEvents(core, st, this, i)
            .closedByPeer(s, noCarrier ? "NO CARRIER" : config.transparentClose().text());
      }
    }
  }

  @Override
  public boolean contextActive() {
    for (int i = 1; i <= CONTEXTS; i++) {
      if (st.active[i]) {
        return true;
      }
    }
    return false;
  }
}
