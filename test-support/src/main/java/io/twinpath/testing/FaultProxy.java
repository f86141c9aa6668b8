package io.twinpath.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on loopback that injects faults into real connections: refuse, black-hole, silence,
 * reset after N bytes, delay, and cutting an SMTP session right after the final dot.
 *
 * <p>The proxy keeps its port across fault changes, so a client configured once sees the path fail
 * and recover. A fault applies to connections accepted after {@link #set(Fault)}; {@link
 * #resetAll()} cuts the ones already open.
 */
public final class FaultProxy implements AutoCloseable {
  private static final byte[] FINAL_DOT = {'\r', '\n', '.', '\r', '\n'};

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<Socket> stalled = ConcurrentHashMap.newKeySet();
  private final List<Socket> backlogFillers = new ArrayList<>();
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final AtomicLong downstreamBytes = new AtomicLong();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger finalDots = new AtomicInteger();
  private volatile Fault fault = Fault.none();
  private volatile boolean closed;
  private @Nullable ServerSocket server;
  private @Nullable Thread acceptor;

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    ServerSocket s = newServer(0, 50);
    this.port = s.getLocalPort();
    startAccepting(s);
  }

  /** Starts a proxy on 127.0.0.1 (port chosen by the system) forwarding to {@code host:port}. */
  public static FaultProxy to(String host, int port) {
    try {
      return new FaultProxy(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** Bytes forwarded client → server. */
  public long bytesUpstream() {
    return upstreamBytes.get();
  }

  /** Bytes forwarded server → client. */
  public long bytesDownstream() {
    return downstreamBytes.get();
  }

  /** Connections accepted so far. */
  public int connections() {
    return accepted.get();
  }

  /** Final SMTP dots seen (and forwarded) so far. */
  public int finalDotsSeen() {
    return finalDots.get();
  }

  public Fault fault() {
    return fault;
  }

  /** Changes the fault for connections from now on. */
  public synchronized void set(Fault next) {
    Objects.requireNonNull(next, "fault");
    Fault previous = this.fault;
    this.fault = next;
    boolean wasListening = listensFor(previous.kind());
    boolean listens = listensFor(next.kind());
    try {
      if (previous.kind() == Fault.Kind.BLACK_HOLE && next.kind() != Fault.Kind.BLACK_HOLE) {
        closeServerAndFillers();
        if (listens) {
          startAccepting(newServer(port, 50));
        }
      } else if (wasListening && !listens) {
        closeServerAndFillers();
        if (next.kind() == Fault.Kind.BLACK_HOLE) {
          startBlackHole();
        }
      } else if (!wasListening && listens) {
        startAccepting(newServer(port, 50));
      } else if (!wasListening && next.kind() == Fault.Kind.BLACK_HOLE) {
        startBlackHole();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot switch the proxy on port " + port + " to " + next, e);
    }
  }

  /**
   * Silently drops every byte, both ways, of the connections open now, without closing them: a link
   * that died without a word (an expired NAT entry, a pulled cable). New connections pass.
   */
  public void stallAll() {
    stalled.addAll(open);
  }

  /** Resets every connection open now (like a link going down mid-session). */
  public void resetAll() {
    for (Socket s : List.copyOf(open)) {
      reset(s);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeServerAndFillers();
    resetAll();
  }

  private static boolean listensFor(Fault.Kind kind) {
    return kind != Fault.Kind.REFUSE && kind != Fault.Kind.BLACK_HOLE;
  }

  private static ServerSocket newServer(int port, int backlog) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    return s;
  }

  /**
   * A listener that never accepts, with its accept queue filled: the kernel then drops new SYNs, so
   * connects hang (no netem or firewall needed).
   */
  private void startBlackHole() throws IOException {
    ServerSocket s = newServer(port, 1);
    server = s;
    for (int i = 0; i < 16; i++) {
      Socket filler = new Socket();
      try {
        filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
        backlogFillers.add(filler);
      } catch (IOException full) {
        filler.close();
        return;
      }
    }
    throw new IOException("the accept queue of port " + port + " never filled up");
  }

  private void closeServerAndFillers() {
    ServerSocket s = server;
    server = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    Thread a = acceptor;
    acceptor = null;
    if (a != null) {
      try {
        a.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Socket f : backlogFillers) {
      try {
        f.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    backlogFillers.clear();
  }

  private void startAccepting(ServerSocket s) {
    server = s;
    Thread t = new Thread(() -> acceptLoop(s), "fault-proxy-accept-" + port);
    t.setDaemon(true);
    acceptor = t;
    t.start();
  }

  private void acceptLoop(ServerSocket s) {
    while (!closed && !s.isClosed()) {
      Socket client;
      try {
        client = s.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      open.add(client);
      Fault f = fault;
      Thread t = new Thread(() -> handle(client, f), "fault-proxy-conn-" + port);
      t.setDaemon(true);
      t.start();
    }
  }

  private void handle(Socket client, Fault f) {
    if (f.kind() == Fault.Kind.SILENT) {
      drain(client);
      return;
    }
    Socket upstream = new Socket();
    try {
      upstream.connect(target, 5000);
    } catch (IOException e) {
      reset(client);
      closeQuietly(upstream);
      return;
    }
    open.add(upstream);
    Connection c = new Connection(client, upstream, f);
    Thread up = new Thread(c::pumpUp, "fault-proxy-up-" + port);
    up.setDaemon(true);
    up.start();
    c.pumpDown();
  }

  private void drain(Socket client) {
    byte[] buf = new byte[8192];
    try (InputStream in = client.getInputStream()) {
      while (in.read(buf) >= 0) {
        // swallow: a silent peer reads but never answers
      }
    } catch (IOException ignored) {
      // peer went away
    } finally {
      open.remove(client);
      closeQuietly(client);
    }
  }

  private void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // already closed
    }
    closeQuietly(s);
    open.remove(s);
    stalled.remove(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** One proxied connection: two pumps sharing the fault's budget and state. */
  private final class Connection {
    private final Socket client;
    private final Socket upstream;
    private final Fault fault;
    private final AtomicLong budget;
    private final byte[] tail = new byte[FINAL_DOT.length];
    private int tailLen;
    private volatile boolean cut;

    Connection(Socket client, Socket upstream, Fault fault) {
      this.client = client;
      this.upstream = upstream;
      this.fault = fault;
      this.budget =
          new AtomicLong(
              fault.kind() == Fault.Kind.RESET_AFTER_BYTES ? fault.bytes() : Long.MAX_VALUE);
    }

    void pumpUp() {
      pump(client, upstream, true);
    }

    void pumpDown() {
      pump(upstream, client, false);
    }

    private void pump(Socket from, Socket to, boolean clientToServer) {
      byte[] buf = new byte[8192];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (fault.kind() == Fault.Kind.DELAY) {
            LockSupport.parkNanos(fault.delay().toNanos());
          }
          if (!clientToServer && cut) {
            continue; // the reply to the final dot never reaches the client
          }
          if (stalled.contains(from) || stalled.contains(to)) {
            continue; // a dead link: nothing arrives, nothing is said
          }
          int allowed = (int) Math.min(n, Math.max(0, budget.getAndAdd(-n)));
          int dotEnd = clientToServer && cutsAfterDot() ? findFinalDot(buf, allowed) : -1;
          int len = dotEnd >= 0 ? dotEnd : allowed;
          if (dotEnd >= 0) {
            cut = true;
            finalDots.incrementAndGet();
          }
          // count before writing, so a reader that got the bytes also sees them counted
          (clientToServer ? upstreamBytes : downstreamBytes).addAndGet(len);
          out.write(buf, 0, len);
          out.flush();
          if (dotEnd >= 0) {
            if (fault.kind() == Fault.Kind.RESET_AFTER_FINAL_DOT) {
              reset(client);
            }
            // keep reading the client (HANG) or stop; the server side finishes on its own
            if (fault.kind() == Fault.Kind.RESET_AFTER_FINAL_DOT) {
              return;
            }
          }
          if (allowed < n) {
            reset(client);
            reset(upstream);
            return;
          }
        }
        // orderly end of one direction: half-close the other side
        if (!cut) {
          to.shutdownOutput();
        }
      } catch (IOException e) {
        if (!cut) {
          reset(client);
          reset(upstream);
        }
      } finally {
        if (!clientToServer || !cut) {
          open.remove(from);
          stalled.remove(from);
        }
      }
    }

    private boolean cutsAfterDot() {
      return fault.kind() == Fault.Kind.RESET_AFTER_FINAL_DOT
          || fault.kind() == Fault.Kind.HANG_AFTER_FINAL_DOT;
    }

    /** Returns the index just past the final dot within buf[0, n), or -1. */
    private int findFinalDot(byte[] buf, int n) {
      if (cut) {
        return -1;
      }
      for (int i = 0; i < n; i++) {
        if (tailLen == tail.length) {
          System.arraycopy(tail, 1, tail, 0, tail.length - 1);
          tailLen--;
        }
        tail[tailLen++] = buf[i];
        if (tailLen == tail.length && java.util.Arrays.equals(tail, FINAL_DOT)) {
          return i + 1;
        }
      }
      return -1;
    }
  }
}
