package io.twinpath.modemsim.internal;

import static io.twinpath.modemsim.internal.QuectelState.MAX_READ;

import io.twinpath.modemsim.SimConfig;
import io.twinpath.modemsim.internal.QuectelSocket.State;
import org.jspecify.annotations.Nullable;

/** Events of one EC25 socket, on the loop: open result, received data, remote close. */
final class QuectelSocketEvents implements TcpLink.Listener {
  private final ModemCore core;
  private final SimConfig config;
  private final QuectelState st;
  private final QuectelData data;
  private final int id;

  QuectelSocketEvents(ModemCore core, QuectelState st, QuectelData data, int id) {
    this.core = core;
    this.config = core.config();
    this.st = st;
    this.data = data;
    this.id = id;
  }

  private @Nullable QuectelSocket current(TcpLink l) {
    QuectelSocket s = st.socks[id];
    return s != null && s.link == l ? s : null;
  }

  @Override
  public void connected(TcpLink l) {
    QuectelSocket s = current(l);
    if (s == null) {
      l.abort();
      return;
    }
    s.state = State.CONNECTED;
    if (s.accessMode == 2) {
      core.line("CONNECT");
      data.enterData(id, s);
    } else {
      core.urc("+QIOPEN: " + id + ",0");
    }
  }

  @Override
  public void openFailed(TcpLink l, TcpLink.OpenFailure why) {
    QuectelSocket s = current(l);
    if (s == null) {
      return;
    }
    st.lastError =
        switch (why) {
          case DNS -> 565;
          case REFUSED -> 566;
          case TIMEOUT -> 569;
        };
    st.socks[id] = null;
    if (s.accessMode == 2) {
      core.line("ERROR");
    } else {
      core.urc("+QIOPEN: " + id + "," + st.lastError);
    }
  }

  @Override
  public void data(TcpLink l, int newBytes) {
    QuectelSocket s = current(l);
    if (s == null) {
      return;
    }
    s.received += newBytes;
    if (s.accessMode == 2 && core.inDataMode() && st.dataSock == id) {
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
    QuectelSocket s = current(l);
    if (s != null) {
      closedByPeer(s, config.transparentClose().text());
    }
  }

  void closedByPeer(QuectelSocket s, String transparentText) {
    s.state = State.CLOSING;
    if (s.accessMode == 2 && core.inDataMode() && st.dataSock == id) {
      core.leaveData();
      st.dataSock = -1;
      core.line(transparentText);
    } else {
      core.urc("+QIURC: \"closed\"," + id);
    }
  }
}
