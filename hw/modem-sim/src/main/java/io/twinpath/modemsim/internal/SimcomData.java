package io.twinpath.modemsim.internal;

import io.twinpath.modemsim.SimConfig;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * SIM7600 data side: NETOPEN / NETCLOSE / IPADDR, CIPOPEN / CIPSEND / CIPRXGET / CIPCLOSE in
 * non-transparent mode, and the (unverified) transparent mode on link 0.
 */
final class SimcomData implements ModemCore.DataDialect {
  private static final int LINKS = 10;
  private static final int MAX_SEND = 1500;
  private static final int MAX_READ = 1460;

  private enum State {
    CLOSED,
    OPENING,
    OPEN
  }

  private final ModemCore core;
  private final SimConfig config;
  private final @Nullable TcpLink[] links = new TcpLink[LINKS];
  private final State[] states = new State[LINKS];
  private boolean netOpen;
  private boolean netOpening;
  private boolean broken;
  private int cipmode;
  private int rxget;
  private SimConfig.PushHeader header;

  SimcomData(ModemCore core) {
    this.core = core;
    this.config = core.config();
    this.header = config.pushHeader();
    java.util.Arrays.fill(states, State.CLOSED);
  }

  @Override
  public void register(Map<String, ModemCore.Handler> t) {
    t.put("+NETOPEN", this::netopen);
    t.put("+NETCLOSE", this::netclose);
    t.put("+IPADDR", this::ipaddr);
    t.put("+CIPMODE", this::cipmode);
    t.put("+CIPCCFG", this::cipccfg);
    t.put("+CIPRXGET", this::ciprxget);
    t.put("+CIPOPEN", this::cipopen);
    t.put("+CIPSEND", this::cipsend);
    t.put("+CIPCLOSE", this::cipclose);
    t.put("O", this::resume);
    for (String n : new String[] {"+CIPSENDMODE", "+CIPTIMEOUT", "+CSOCKSETPN", "+CIPSRIP"}) {
      t.put(n, c -> "OK");
    }
  }

  // ------------------------------------------------------------------ context

  private @Nullable String netopen(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.READ) {
      core.line("+NETOPEN: " + (netOpen ? 1 : 0));
      return "OK";
    }
    if (c.type() != AtCommand.Type.EXEC) {
      throw AtError.plain();
    }
    core.requireSim();
    if (netOpen || netOpening) {
      core.line("+IP ERROR: Network is already opened");
      throw AtError.plain();
    }
    boolean ok = core.effectiveRegistration().registered() && core.dataServiceAvailable();
    netOpening = true;
    core.line("OK");
    core.loop()
        .schedule(
            () -> {
              netOpening = false;
              boolean still =
                  ok && core.effectiveRegistration().registered() && core.dataServiceAvailable();
              if (still) {
                netOpen = true;
                broken = false;
              }
              core.urc("+NETOPEN: " + (still ? 0 : 1));
            },
            config.activationDelay().toNanos(),
            TimeUnit.NANOSECONDS);
    return null;
  }

  private @Nullable String netclose(AtCommand c) throws AtError {
    if (c.type() != AtCommand.Type.EXEC) {
      throw AtError.plain();
    }
    if (!netOpen) {
      core.line("+IP ERROR: Network not opened");
      throw AtError.plain();
    }
    core.line("OK");
    for (int i = 0; i < LINKS; i++) {
      drop(i);
    }
    netOpen = false;
    broken = false;
    core.urc("+NETCLOSE: 0");
    return null;
  }

  private String ipaddr(AtCommand c) throws AtError {
    if (!netOpen || broken) {
      core.line("+IP ERROR: Network not opened");
      throw AtError.plain();
    }
    core.line("+IPADDR: " + config.ipAddress());
    return "OK";
  }

  private String cipmode(AtCommand c) throws AtError {
    switch (c.type()) {
      case SET -> {
        int m = c.integer(0, 0, 1);
        if (netOpen) {
          throw AtError.plain();
        }
        cipmode = m;
      }
      case READ -> core.line("+CIPMODE: " + cipmode);
      case TEST -> core.line("+CIPMODE: (0-1)");
      case EXEC -> throw AtError.plain();
    }
    return "OK";
  }

  private String cipccfg(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.SET && c.has(4)) {
      header = c.integer(4, 0, 1) == 1 ? SimConfig.PushHeader.RECEIVE : SimConfig.PushHeader.IPD;
    } else if (c.type() == AtCommand.Type.READ) {
      core.line(
          "+CIPCCFG: 10,0,0,0," + (header == SimConfig.PushHeader.RECEIVE ? 1 : 0) + ",0,75000");
    }
    return "OK";
  }

  // ------------------------------------------------------------------ sockets

  private @Nullable String cipopen(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.READ) {
      for (int i = 0; i < LINKS; i++) {
        TcpLink l = links[i];
        if (states[i] == State.OPEN && l != null) {
          core.line(
              "+CIPOPEN: " + i + ",\"TCP\",\"" + l.remoteAddress() + "\"," + l.port() + ",-1");
        } else {
          core.line("+CIPOPEN: " + i);
        }
      }
      return "OK";
    }
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int link = c.integer(0, 0, LINKS - 1);
    String type = c.str(1).toUpperCase(Locale.ROOT);
    String host = c.str(2);
    int port;
    try {
      port = c.integer(3, 1, 65535);
    } catch (AtError e) {
      return openFailedNow(link, 3);
    }
    if (!type.equals("TCP") || host.isEmpty() || (cipmode == 1 && link != 0)) {
      return openFailedNow(link, cipmode == 1 && link != 0 ? 4 : 3);
    }
    if (!netOpen) {
      return openFailedNow(link, 2);
    }
    if (broken) {
      return openFailedNow(link, 1);
    }
    if (states[link] != State.CLOSED) {
      return openFailedNow(link, 9);
    }
    TcpLink l =
        new TcpLink(
            core.poster(),
            core.linkModel(),
            core.counters(),
            new LinkListener(link),
            config.receiveBufferBytes(),
            host,
            port);
    links[link] = l;
    states[link] = State.OPENING;
    if (cipmode == 0) {
      core.line("OK");
    }
    l.open(config.connectTimeout());
    return null;
  }

  private @Nullable String openFailedNow(int link, int err) throws AtError {
    core.line("+CIPOPEN: " + link + "," + err);
    throw AtError.plain();
  }

  private @Nullable String cipsend(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.TEST) {
      core.line("+CIPSEND: (0-9),(1-1500)");
      return "OK";
    }
    if (c.type() != AtCommand.Type.SET || cipmode != 0) {
      throw AtError.plain();
    }
    int link = c.integer(0, 0, LINKS - 1);
    int len = c.integer(1, 1, MAX_SEND);
    TcpLink l = links[link];
    if (states[link] != State.OPEN || l == null || broken) {
      throw AtError.plain();
    }
    core.raw(">");
    core.expectFixed(len, data -> accept(link, l, data), null, () -> {});
    return null;
  }

  private void accept(int link, TcpLink l, byte[] data) {
    if (links[link] != l || states[link] != State.OPEN) {
      core.line("+CIPERROR: 4");
      core.line("ERROR");
      return;
    }
    if (l.unsent() + data.length > config.sendBufferBytes()) {
      // flow control: the answer waits until the link has drained enough
      core.loop().schedule(() -> accept(link, l, data), 5, TimeUnit.MILLISECONDS);
      return;
    }
    l.send(data);
    if (config.cipsendOk()) {
      core.line("OK");
    }
    core.line("+CIPSEND: " + link + "," + data.length + "," + data.length);
  }

  private String ciprxget(AtCommand c) throws AtError {
    switch (c.type()) {
      case READ -> {
        core.line("+CIPRXGET: " + rxget);
        return "OK";
      }
      case TEST -> {
        core.line("+CIPRXGET: (0-4),(0-9),(1-1460)");
        return "OK";
      }
      case EXEC -> throw AtError.plain();
      case SET -> {}
    }
    int m = c.integer(0, 0, 4);
    if (m <= 1) {
      if (c.paramCount() > 1) {
        throw AtError.plain();
      }
      rxget = m;
      return "OK";
    }
    if (rxget != 1) {
      throw AtError.plain();
    }
    int link = c.integer(1, 0, LINKS - 1);
    TcpLink l = links[link];
    if (l == null) {
      core.line("+IP ERROR: No data");
      throw AtError.plain();
    }
    if (m == 4) {
      core.line("+CIPRXGET: 4," + link + "," + l.buffered());
      return "OK";
    }
    int len = c.integer(2, 1, MAX_READ);
    byte[] data = l.read(len);
    int rest = l.buffered();
    core.line("+CIPRXGET: " + m + "," + link + "," + data.length + "," + rest);
    if (m == 2) {
      core.raw(data);
    } else {
      core.raw(HexFormat.of().withUpperCase().formatHex(data));
    }
    if (states[link] == State.CLOSED && rest == 0) {
      links[link] = null;
    }
    return "OK";
  }

  private @Nullable String cipclose(AtCommand c) throws AtError {
    if (c.type() == AtCommand.Type.READ) {
      StringBuilder sb = new StringBuilder("+CIPCLOSE: ");
      for (int i = 0; i < LINKS; i++) {
        sb.append(i == 0 ? "" : ",").append(states[i] == State.OPEN ? 1 : 0);
      }
      core.line(sb.toString());
      return "OK";
    }
    if (c.type() != AtCommand.Type.SET) {
      throw AtError.plain();
    }
    int link = c.integer(0, 0, LINKS - 1);
    TcpLink l = links[link];
    if (states[link] == State.CLOSED || l == null) {
      links[link] = null;
      core.line("+CIPCLOSE: " + link + ",4");
      throw AtError.plain();
    }
    l.close();
    links[link] = null;
    states[link] = State.CLOSED;
    core.line("OK");
    core.urc("+CIPCLOSE: " + link + ",0");
    return null;
  }

  private @Nullable String resume(AtCommand c) throws AtError {
    TcpLink l = links[0];
    if (cipmode != 1 || states[0] != State.OPEN || l == null || core.inDataMode()) {
      return "NO CARRIER";
    }
    core.line(config.sim7600Connect());
    enterData(l);
    return null;
  }

  private void enterData(TcpLink l) {
    core.enterData(
        new ModemCore.DataSink() {
          @Override
          public void data(byte[] bytes) {
            if (!l.isDead()) {
              l.send(bytes);
            }
          }

          @Override
          public void escaped() {}
        });
    if (l.buffered() > 0) {
      core.raw(l.read(Integer.MAX_VALUE));
    }
  }

  private void drop(int i) {
    TcpLink l = links[i];
    if (l != null) {
      l.abort();
    }
    links[i] = null;
    states[i] = State.CLOSED;
  }

  /** Events of one link, on the loop. */
  private final class LinkListener implements TcpLink.Listener {
    private final int link;

    LinkListener(int link) {
      this.link = link;
    }

    private boolean current(TcpLink l) {
      return links[link] == l;
    }

    @Override
    public void connected(TcpLink l) {
      if (!current(l)) {
        l.abort();
        return;
      }
      states[link] = State.OPEN;
      if (cipmode == 1) {
        core.line(config.sim7600Connect());
        enterData(l);
      } else {
        core.urc("+CIPOPEN: " + link + ",0");
      }
    }

    @Override
    public void openFailed(TcpLink l, TcpLink.OpenFailure why) {
      if (!current(l)) {
        return;
      }
      links[link] = null;
      states[link] = State.CLOSED;
      int err =
          switch (why) {
            case DNS -> 11;
            case TIMEOUT -> 10;
            case REFUSED -> 1;
          };
      core.urc("+CIPOPEN: " + link + "," + err);
      if (cipmode == 1) {
        core.line("ERROR");
      }
    }

    @Override
    public void data(TcpLink l, int newBytes) {
      if (!current(l)) {
        return;
      }
      if (cipmode == 1) {
        if (core.inDataMode()) {
          core.raw(l.read(Integer.MAX_VALUE));
        }
        return;
      }
      if (rxget == 1) {
        if (l.buffered() == newBytes) {
          core.urc("+CIPRXGET: 1," + link);
        }
        return;
      }
      while (l.buffered() > 0) {
        byte[] chunk = l.read(MAX_SEND);
        core.line(
            header == SimConfig.PushHeader.RECEIVE
                ? "+RECEIVE," + link + "," + chunk.length
                : "+IPD" + chunk.length);
        core.raw(chunk);
      }
    }

    @Override
    public void remoteClosed(TcpLink l) {
      if (!current(l)) {
        return;
      }
      closedByPeer(l, config.transparentClose().text());
    }

    void closedByPeer(TcpLink l, String transparentText) {
      states[link] = State.CLOSED;
      if (l.buffered() == 0 || rxget != 1) {
        links[link] = null;
      }
      if (cipmode == 1 && core.inDataMode()) {
        core.leaveData();
        core.line(transparentText);
      } else {
        core.urc("+IPCLOSE: " + link + ",1");
      }
    }
  }

  // ------------------------------------------------------------------ faults

  @Override
  public void reset() {
    for (int i = 0; i < LINKS; i++) {
      drop(i);
    }
    netOpen = false;
    netOpening = false;
    broken = false;
    cipmode = 0;
    rxget = 0;
    header = config.pushHeader();
  }

  @Override
  public void contextLost() {
    if (!netOpen || broken) {
      return;
    }
    broken = true;
    if (core.inDataMode()) {
      core.leaveData();
      core.line("NO CARRIER");
    }
    for (int i = 0; i < LINKS; i++) {
      drop(i);
    }
    core.urc("+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY");
  }

  @Override
  public void hangUpAll(boolean noCarrier) {
    for (int i = 0; i < LINKS; i++) {
      TcpLink l = links[i];
      if (l != null && states[i] == State.OPEN) {
        l.abort();
        new LinkListener(i)
            .closedByPeer(l, noCarrier ? "NO CARRIER" : config.transparentClose().text());
      }
    }
  }

  @Override
  public boolean contextActive() {
    return netOpen && !broken;
  }
}
