package io.twinpath.modemsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the simulator itself costs a sender: serial-line bytes per TCP payload byte and goodput of a
 * 1 MB upload over a simulated 1 Mbit/s link, for SIM7600 CIPSEND, EC25 QISEND and EC25 transparent
 * mode, driven by the scripted test client (not the driver).
 */
@Tag("benchmark")
class LinkBenchmark {
  private static final int SIZE = 1 << 20;
  private static final long BPS = 1_000_000;

  @Test
  void serialOverheadAndGoodput() throws Exception {
    byte[] payload = new byte[SIZE];
    new Random(3).nextBytes(payload);
    String[] rows = new String[3];
    rows[0] = run("SIM7600 CIPSEND x1500", Dialect.SIM7600, payload, LinkBenchmark::sim7600);
    rows[1] = run("EC25 QISEND x1460", Dialect.EC25, payload, LinkBenchmark::ec25Buffered);
    rows[2] = run("EC25 transparent", Dialect.EC25, payload, LinkBenchmark::ec25Transparent);
    System.out.println();
    System.out.println("simulated link 1 Mbit/s, 1 MiB upload, scripted client");
    System.out.printf(
        "%-24s %14s %14s %12s %12s%n",
        "mode", "serial/payload", "serial in/pl", "goodput", "of link");
    for (String r : rows) {
      System.out.println(r);
    }
  }

  private interface Upload {
    void upload(AtClient at, int port, byte[] payload);
  }

  private static String run(String name, Dialect d, byte[] payload, Upload u) throws Exception {
    SimConfig config =
        SimConfig.builder(d).linkBitsPerSecond(BPS).guardTime(Duration.ofMillis(100)).build();
    try (Sink sink = new Sink();
        SimHarness h = SimHarness.ready(config)) {
      h.sim.resetCounters();
      long t0 = System.nanoTime();
      u.upload(h.at, sink.port(), payload);
      await().atMost(Duration.ofSeconds(60)).until(() -> sink.bytes.get() == payload.length);
      double seconds = (sink.lastNanos.get() - t0) / 1e9;
      double goodput = payload.length * 8 / seconds;
      long serial = h.sim.serialBytesIn() + h.sim.serialBytesOut();
      assertThat(h.sim.tcpBytesSent()).isEqualTo(payload.length);
      return String.format(
          "%-24s %14.4f %14.4f %9.0f kb/s %11.1f%%",
          name,
          serial / (double) payload.length,
          h.sim.serialBytesIn() / (double) payload.length,
          goodput / 1000,
          100 * goodput / BPS);
    }
  }

  private static void sim7600(AtClient at, int port, byte[] payload) {
    at.send("AT+NETOPEN");
    at.expectText("+NETOPEN: 0\r\n");
    at.send("AT+CIPOPEN=0,\"TCP\",\"127.0.0.1\"," + port);
    at.expectText("+CIPOPEN: 0,0\r\n");
    for (int off = 0; off < payload.length; off += 1500) {
      byte[] part = Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 1500));
      at.write("AT+CIPSEND=0," + part.length + "\r");
      at.expectText(">");
      at.write(part);
      at.timeout(Duration.ofSeconds(30)).expectText("+CIPSEND: 0," + part.length + ",");
      at.skipAll();
    }
  }

  private static void ec25Buffered(AtClient at, int port, byte[] payload) {
    Ec25SocketIT.activate(at);
    Ec25SocketIT.open(at, 0, port, 0);
    for (int off = 0; off < payload.length; ) {
      byte[] part = Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 1460));
      String r = Ec25SocketIT.send(at, 0, part);
      if (r.endsWith("SEND OK\r\n")) {
        off += part.length;
      } else {
        // buffer full: wait until it drained to 16 KiB (+QISEND: total,acked,unacked), then retry
        await()
            .pollInterval(Duration.ofMillis(20))
            .atMost(Duration.ofSeconds(30))
            .until(() -> unacked(at) <= 16 * 1024);
      }
      at.skipAll();
    }
  }

  private static long unacked(AtClient at) {
    String r = at.send("AT+QISEND=0,0");
    return Long.parseLong(r.replaceAll("(?s).*\\+QISEND: \\d+,\\d+,(\\d+)\r\n.*", "$1"));
  }

  private static void ec25Transparent(AtClient at, int port, byte[] payload) {
    Ec25SocketIT.activate(at);
    at.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + port + ",0,2");
    for (int off = 0; off < payload.length; off += 4096) {
      at.write(Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 4096)));
    }
  }

  /** Accepts one connection and counts what arrives. */
  private static final class Sink implements AutoCloseable {
    final ServerSocket server;
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong lastNanos = new AtomicLong();

    Sink() throws IOException {
      server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                  byte[] buf = new byte[65536];
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    bytes.addAndGet(n);
                    lastNanos.set(System.nanoTime());
                  }
                } catch (IOException e) {
                  // closed
                }
              },
              "sink");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
