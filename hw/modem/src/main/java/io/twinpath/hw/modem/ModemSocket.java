package io.twinpath.hw.modem;

import io.twinpath.hw.modem.internal.ModemSocketImpl;
import java.net.Socket;
import java.net.SocketException;

/**
 * A {@link Socket} whose TCP connection is made by the modem (AT socket commands). Use it like any
 * socket: connect, read with {@link #setSoTimeout(int)}, write, close; layer TLS with {@code
 * SSLSocketFactory.createSocket(socket, host, port, true)}. The peer closing shows as end of stream
 * on read and as an {@link java.io.IOException} on write; the modem's data context going down shows
 * as an {@link java.io.IOException} naming the cause.
 *
 * <p>Create them with {@link Modem#socketFactory()}.
 */
public final class ModemSocket extends Socket {
  private final ModemSocketImpl impl;

  ModemSocket(ModemSocketImpl impl) throws SocketException {
    super(impl);
    this.impl = impl;
  }

  @Override
  public String toString() {
    return "ModemSocket[" + impl + "]";
  }
}
