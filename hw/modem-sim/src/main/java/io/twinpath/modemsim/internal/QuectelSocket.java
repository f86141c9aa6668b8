package io.twinpath.modemsim.internal;

/** One EC25 socket slot: its context, TCP link, access mode, state and byte counts. */
final class QuectelSocket {
  enum State {
    OPENING(1),
    CONNECTED(2),
    CLOSING(4);

    final int code;

    State(int code) {
      this.code = code;
    }
  }

  final int ctx;
  final TcpLink link;
  int accessMode;
  State state = State.OPENING;
  boolean recvNotified;
  long received;
  long read;

  QuectelSocket(int ctx, TcpLink link, int accessMode) {
    this.ctx = ctx;
    this.link = link;
    this.accessMode = accessMode;
  }
}
