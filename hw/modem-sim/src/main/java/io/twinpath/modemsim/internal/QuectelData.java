package io.twinpath.modemsim.internal;

import io.twinpath.modemsim.SimConfig;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * EC25 data side: QICSGP / QIACT / QIDEACT, QIOPEN in buffer (0), push (1) and transparent (2)
 * access modes, QISEND / QIRD / QICLOSE / QISTATE / QIGETERROR / QISWTMD, and the QIURC reports.
 */
final class QuectelData implements ModemCore.DataDialect {
  private static final int SOCKETS = 12;
  private static final int CONTEXTS = 16;
  private static final int MAX_SEND = 1460;
  private static final int MAX_READ = 1500;

  private enum State {
    OPENING(1),
    CONNECTED(2),
    CLOSING(4);

    final int code;

    State(int code) {
      this.code = code;
    }
  }

  /** One socket slot. */
  private static final class Sock {
    final int ctx;
    final TcpLink link;
    int accessMode;
    State state = State.OPENING;
    boolean recvNotified;
    long received;
    long read;

    Sock(int ctx, TcpLink link, int accessMode) {
      this.ctx = ctx;
      this.link = link;
      this.accessMode = accessMode;
    }
  }

  private final ModemCore core;
  private final SimConfig config;
  private final @Nullable Sock[] socks = new Sock[SOCKETS];
  private final boolean[] active = new boolean[CONTEXTS + 1];
  private final boolean[] broken = new boolean[CONTEXTS + 1];
  private final String[] apn = new String[CONTEXTS + 1];
  private int lastError;
  private int dataSock = -1;

  QuectelData(ModemCore core) {
    this.core = core;
    this.config = core.config();
    java.util.Arrays.fill(apn, "");
  }

  @Override
  public void register(Map<String, ModemCore.Handler> t) {
    t.put("+QICSGP", this::qicsgp);
    t.put("+QIACT", this::qiact);
    t.put("+QIDEACT", this::qideact);
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

  // ------------------------------------------------------------------ context

  private String qicsgp(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int ctx = c.integer(0, 1, CONTEXTS);
    if (c.paramCount() == 1) {
      core.line("+QICSGP: 1,\"" + apn[ctx] + "\",\"\",\"\",0");
      return "OK";
    }
    c.integer(1, 1, 3);
    apn[ctx] = c.str(2, "");
    if (c.has(5)) {
      c.integer(5, 0, 3);
    }
    return "OK";
  }

  private @Nullable String qiact(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.READ) {
      for (int i = 1; i <= CONTEXTS; i++) {
        if (active[i]) {
          core.line("+QIACT: " + i + ",1,1,\"" + config.ipAddress() + "\"");
        }
      }
      return "OK";
    }
    if (c.type() == AtCommand.Type.TEST) {
      core.line("+QIACT: (1-16)");
      return "OK";
    }
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int ctx = c.integer(0, 1, CONTEXTS);
    core.requireSim();
    if (active[ctx]) {
      return "OK";
    }
    core.loop()
        .schedule(
            () -> {
              if (!broken[ctx]
                  && core.effectiveRegistration().registered()
                  && core.dataServiceAvailable()) {
                active[ctx] = true;
                core.line("OK");
              } else {
                lastError = 561;
                core.line("ERROR");
              }
            },
            config.activationDelay().toNanos(),
            TimeUnit.NANOSECONDS);
    return null;
  }

  private String qideact(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int ctx = c.integer(0, 1, CONTEXTS);
    for (int i = 0; i < SOCKETS; i++) {
      Sock s = socks[i];
      if (s != null && s.ctx == ctx) {
        s.link.abort();
        socks[i] = null;
      }
    }
    active[ctx] = false;
    broken[ctx] = false;
    return "OK";
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
      lastError = 552;
      throw AtError.plain();
    }
    if (socks[id] != null) {
      lastError = 563;
      throw AtError.plain();
    }
    if (!active[ctx] || broken[ctx]) {
      lastError = 572;
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
            new SockListener(id),
            config.receiveBufferBytes(),
            host,
            port);
    socks[id] = new Sock(ctx, link, mode);
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
    Sock s = socks[id];
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
      lastError = 567;
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
          lastError = 569;
          core.line("ERROR");
        });
    return null;
  }

  private void finishSend(int id, Sock s, byte @Nullable [] data) {
    if (data == null) {
      core.line("ERROR");
      return;
    }
    if (socks[id] != s || s.state != State.CONNECTED) {
      lastError = 567;
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
    Sock s = socks[id];
    if (s == null || s.accessMode == 1) {
      lastError = 567;
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
    Sock s = socks[id];
    if (s != null) {
      s.link.close();
      socks[id] = null;
      if (dataSock == id) {
        dataSock = -1;
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
      Sock s = socks[i];
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
    core.line("+QIGETERROR: " + lastError + "," + errorText(lastError));
    return "OK";
  }

  private @Nullable String qiswtmd(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int id = c.integer(0, 0, SOCKETS - 1);
    int mode = c.integer(1, 0, 2);
    Sock s = socks[id];
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
    if (dataSock < 0) {
      return "NO CARRIER";
    }
    Sock s = socks[dataSock];
    if (s == null || s.state != State.CONNECTED || core.inDataMode()) {
      return "NO CARRIER";
    }
    s.accessMode = 2;
    core.line("CONNECT");
    enterData(dataSock, s);
    return null;
  }

  private void enterData(int id, Sock s) {
    dataSock = id;
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

  private static String errorText(int code) {
    return switch (code) {
      case 0 -> "No error";
      case 552 -> "Invalid parameters";
      case 561 -> "Open PDP context failed";
      case 563 -> "Socket identity has been used";
      case 565 -> "DNS parse failed";
      case 566 -> "Socket connect failed";
      case 567 -> "Socket has been closed";
      case 569 -> "Operation timeout";
      case 570 -> "PDP context broken down";
      case 572 -> "Operation not allowed";
      case 573 -> "APN not configured";
      default -> "Unknown error";
    };
  }

  /** Events of one socket, on the loop. */
  private final class SockListener implements TcpLink.Listener {
    private final int id;

    SockListener(int id) {
      this.id = id;
    }

    private @Nullable Sock current(TcpLink l) {
      Sock s = socks[id];
      return s != null && s.link == l ? s : null;
    }

    @Override
    public void connected(TcpLink l) {
      Sock s = current(l);
      if (s == null) {
        l.abort();
        return;
      }
      s.state = State.CONNECTED;
      if (s.accessMode == 2) {
        core.line("CONNECT");
        enterData(id, s);
      } else {
        core.urc("+QIOPEN: " + id + ",0");
      }
    }

    @Override
    public void openFailed(TcpLink l, TcpLink.OpenFailure why) {
      Sock s = current(l);
      if (s == null) {
        return;
      }
      lastError =
          switch (why) {
            case DNS -> 565;
            case REFUSED -> 566;
            case TIMEOUT -> 569;
          };
      socks[id] = null;
      if (s.accessMode == 2) {
        core.line("ERROR");
      } else {
        core.urc("+QIOPEN: " + id + "," + lastError);
      }
    }

    @Override
    public void data(TcpLink l, int newBytes) {
      Sock s = current(l);
      if (s == null) {
        return;
      }
      s.received += newBytes;
      if (s.accessMode == 2 && core.inDataMode() && dataSock == id) {
        byte[] b = l.read(Integer.MAX_VALUE);
        s.read += b.length;
        core.raw(b);
      } else if (s.accessMode == 1) {
        while (l.buffered() > 0) {
          byte[] b = l.read(MAX_READ);
          s.read += b.length;
          core.urc("+QIURC: \"recv\"," + id + "," + b.length);
          core.raw(b);
        }
      } else if (!s.recvNotified) {
        s.recvNotified = true;
        core.urc("+QIURC: \"recv\"," + id);
      }
    }

    @Override
    public void remoteClosed(TcpLink l) {
      Sock s = current(l);
      if (s != null) {
        closedByPeer(s, config.transparentClose().text());
      }
    }

    void closedByPeer(Sock s, String transparentText) {
      s.state = State.CLOSING;
      if (s.accessMode == 2 && core.inDataMode() && dataSock == id) {
        core.leaveData();
        dataSock = -1;
        core.line(transparentText);
      } else {
        core.urc("+QIURC: \"closed\"," + id);
      }
    }
  }

  // ------------------------------------------------------------------ faults

  @Override
  public void reset() {
    for (int i = 0; i < SOCKETS; i++) {
      Sock s = socks[i];
      if (s != null) {
        s.link.abort();
      }
      socks[i] = null;
    }
    java.util.Arrays.fill(active, false);
    java.util.Arrays.fill(broken, false);
    java.util.Arrays.fill(apn, "");
    lastError = 0;
    dataSock = -1;
  }

  @Override
  public void contextLost() {
    for (int ctx = 1; ctx <= CONTEXTS; ctx++) {
      if (!active[ctx]) {
        continue;
      }
      active[ctx] = false;
      broken[ctx] = true;
      for (int i = 0; i < SOCKETS; i++) {
        Sock s = socks[i];
        if (s != null && s.ctx == ctx) {
          s.link.abort();
          if (s.state != State.CLOSING) {
            s.state = State.CLOSING;
            if (s.accessMode == 2 && core.inDataMode() && dataSock == i) {
              core.leaveData();
              dataSock = -1;
              core.line("NO CARRIER");
            }
          }
        }
      }
      lastError = 570;
      core.urc("+QIURC: \"pdpdeact\"," + ctx);
    }
  }

  @Override
  public void hangUpAll(boolean noCarrier) {
    for (int i = 0; i < SOCKETS; i++) {
      Sock s = socks[i];
      if (s != null && s.state == State.CONNECTED) {
        s.link.abort();
        new SockListener(i)
            .closedByPeer(s, noCarrier ? "NO CARRIER" : config.transparentClose().text());
      }
    }
  }

  @Override
  public boolean contextActive() {
    for (int i = 1; i <= CONTEXTS; i++) {
      if (active[i]) {
        return true;
      }
    }
    return false;
  }
}
