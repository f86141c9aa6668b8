package io.twinpath.modemsim.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A modem socket bridged to a real TCP connection. Data crosses the {@link LinkModel}; the receive
 * buffer and every listener call belong to the modem's loop thread.
 */
final class TcpLink {
  /** Why an open failed. */
  enum OpenFailure {
    DNS,
    REFUSED,
    TIMEOUT
  }

  /** Called on the loop thread. */
  interface Listener {
    void connected(TcpLink link);

    void openFailed(TcpLink link, OpenFailure why);

    /** New bytes are in {@link #buffered()}. */
    void data(TcpLink link, int newBytes);

    void remoteClosed(TcpLink link);
  }

  private static final byte[] CLOSE = new byte[0];
  private static final int CHUNK = 1460;

  private final Executor loop;
  private final LinkModel model;
  private final Counters counters;
  private final Listener listener;
  private final int rxCapacity;
  private final String host;
  private final int port;
  private final ArrayDeque<byte[]> rx = new ArrayDeque<>();
  private final AtomicInteger rxBuffered = new AtomicInteger();
  private final BlockingQueue<Timed> tx = new LinkedBlockingQueue<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private int rxHeadOffset;
  private volatile boolean closing;
  private volatile boolean dead;
  private volatile Socket socket = new Socket();
  private boolean remoteClosedSeen;

  private record Timed(long due, byte[] bytes) {}

  TcpLink(
      Executor loop,
      LinkModel model,
      Counters counters,
      Listener listener,
      int rxCapacity,
      String host,
      int port) {
    this.loop = loop;
    this.model = model;
    this.counters = counters;
    this.listener = listener;
    this.rxCapacity = rxCapacity;
    this.host = host;
    this.port = port;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  int localPort() {
    return socket.getLocalPort();
  }

  String remoteAddress() {
    InetAddress a = socket.getInetAddress();
    return a == null ? host : a.getHostAddress();
  }

  /** Connects in the background; the result reaches the listener on the loop. */
  void open(Duration timeout) {
    Thread t =
        new Thread(
            () -> {
              long rtt = 2 * model.latencyNanos();
              LockSupport.parkNanos(rtt);
              Socket s = new Socket();
              try {
                InetAddress addr = InetAddress.getByName(host);
                s.setTcpNoDelay(true);
                s.connect(
                    new InetSocketAddress(addr, port),
                    (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
              } catch (UnknownHostException e) {
                loop.execute(() -> listener.openFailed(this, OpenFailure.DNS));
                return;
              } catch (SocketTimeoutException e) {
                closeQuietly(s);
                loop.execute(() -> listener.openFailed(this, OpenFailure.TIMEOUT));
                return;
              } catch (IOException e) {
                closeQuietly(s);
                loop.execute(() -> listener.openFailed(this, OpenFailure.REFUSED));
                return;
              }
              socket = s;
              if (dead) {
                closeQuietly(s);
                return;
              }
              loop.execute(() -> listener.connected(this));
              startWriter(s);
              readLoop(s);
            },
            "modem-sim-tcp " + host + ":" + port);
    t.setDaemon(true);
    t.start();
  }

  private void readLoop(Socket s) {
    byte[] buf = new byte[CHUNK];
    try {
      InputStream in = s.getInputStream();
      while (!dead && !closing) {
        while (rxBuffered.get() >= rxCapacity && !dead && !closing) {
          LockSupport.parkNanos(2_000_000L);
        }
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        counters.tcpReceived.addAndGet(n);
        byte[] chunk = Arrays.copyOf(buf, n);
        long due = model.downlinkDue(n);
        parkUntil(due);
        rxBuffered.addAndGet(n);
        loop.execute(() -> arrived(chunk));
      }
    } catch (IOException e) {
      // reset by peer or closed locally: both end the stream
    }
    if (!dead && !closing) {
      long due = System.nanoTime() + model.latencyNanos();
      parkUntil(due);
      loop.execute(this::remoteEnd);
    }
  }

  private void arrived(byte[] chunk) {
    if (dead) {
      return;
    }
    rx.add(chunk);
    listener.data(this, chunk.length);
  }

  private void remoteEnd() {
    if (dead || closing || remoteClosedSeen) {
      return;
    }
    remoteClosedSeen = true;
    listener.remoteClosed(this);
  }

  private void startWriter(Socket s) {
    Thread w =
        new Thread(
            () -> {
              try {
                OutputStream out = s.getOutputStream();
                while (true) {
                  Timed t = tx.take();
                  if (t.bytes == CLOSE) {
                    break;
                  }
                  parkUntil(t.due);
                  if (dead) {
                    return;
                  }
                  out.write(t.bytes);
                  out.flush();
                  counters.tcpSent.addAndGet(t.bytes.length);
                  delivered.addAndGet(t.bytes.length);
                }
              } catch (IOException e) {
                // the connection went away; the reader reports it
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              closeQuietly(s);
            },
            "modem-sim-tcp-tx " + host + ":" + port);
    w.setDaemon(true);
    w.start();
  }

  /** Queues payload toward the remote side. Call on the loop. */
  void send(byte[] data) {
    accepted.addAndGet(data.length);
    for (int off = 0; off < data.length; off += CHUNK) {
      byte[] part = Arrays.copyOfRange(data, off, Math.min(data.length, off + CHUNK));
      tx.add(new Timed(model.uplinkDue(part.length), part));
    }
  }

  /** Bytes accepted by {@link #send} so far. */
  long accepted() {
    return accepted.get();
  }

  /** Bytes written to the TCP connection so far. */
  long delivered() {
    return delivered.get();
  }

  long unsent() {
    return accepted.get() - delivered.get();
  }

  /** Bytes waiting to be read by the host. */
  int buffered() {
    int total = 0;
    for (byte[] b : rx) {
      total += b.length;
    }
    return total - rxHeadOffset;
  }

  /** Takes up to {@code max} buffered bytes. Call on the loop. */
  byte[] read(int max) {
    int n = Math.min(max, buffered());
    byte[] out = new byte[n];
    int got = 0;
    while (got < n) {
      byte[] head = rx.peek();
      if (head == null) {
        break;
      }
      int take = Math.min(n - got, head.length - rxHeadOffset);
      System.arraycopy(head, rxHeadOffset, out, got, take);
      got += take;
      rxHeadOffset += take;
      if (rxHeadOffset == head.length) {
        rx.poll();
        rxHeadOffset = 0;
      }
    }
    rxBuffered.addAndGet(-got);
    return out;
  }

  /** Closes gracefully: queued data still goes out first. */
  void close() {
    if (closing || dead) {
      return;
    }
    closing = true;
    tx.add(new Timed(0, CLOSE));
    if (!socket.isConnected()) {
      dead = true;
    }
  }

  /** Drops the connection at once (context lost, modem reset). */
  void abort() {
    dead = true;
    closing = true;
    tx.clear();
    tx.add(new Timed(0, CLOSE));
    closeQuietly(socket);
  }

  boolean isDead() {
    return dead;
  }

  private static void parkUntil(long due) {
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
