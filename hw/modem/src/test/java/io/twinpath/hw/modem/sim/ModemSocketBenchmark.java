package io.twinpath.hw.modem.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.hw.modem.ModemDialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of a socket through the simulated modem against a direct loopback socket, the
 * serial-line overhead per payload byte, and goodput over a simulated 1 Mbit/s radio link.
 */
@Tag("benchmark")
class ModemSocketBenchmark {
  private static final int SIZE = 512 * 1024;

  /** A loopback sink: reads {@code expect} bytes, then answers one byte. */
  private static final class Sink implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    Sink(int expect) throws IOException {
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept();
                      InputStream in = s.getInputStream();
                      OutputStream out = s.getOutputStream()) {
                    byte[] buf = new byte[16384];
                    long got = 0;
                    int n;
                    while (got < expect && (n = in.read(buf)) > 0) {
                      got += n;
                    }
                    out.write('K');
                    out.flush();
                    in.read(); // wait for the client to close
                  } catch (IOException e) {
                    // next
                  }
                }
              },
              "bench-sink");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** Seconds to send {@code data} and get the sink's acknowledgement. */
  private static double upload(Socket s, byte[] data) throws IOException {
    if (s.getSoTimeout() == 0) {
      s.setSoTimeout(120_000);
    }
    long t0 = System.nanoTime();
    OutputStream out = s.getOutputStream();
    out.write(data);
    out.flush();
    int ack = s.getInputStream().read();
    double secs = (System.nanoTime() - t0) / 1e9;
    assertThat(ack).isEqualTo('K');
    return secs;
  }

  private record Row(String name, double bytesPerSecond, double serialPerPayload) {}

  @Test
  void modemSocketAgainstDirectLoopback() throws Exception {
    byte[] data = new byte[SIZE];
    new Random(1).nextBytes(data);
    List<Row> rows = new ArrayList<>();
    try (Sink sink = new Sink(SIZE)) {
      try (Socket direct =
          new Socket(InetAddress.getLoopbackAddress(), sink.server.getLocalPort())) {
        rows.add(new Row("direct loopback", SIZE / upload(direct, data), Double.NaN));
      }
      for (Object[] v :
          new Object[][] {
            {ModemDialect.SIM7600, false}, {ModemDialect.EC25, false}, {ModemDialect.EC25, true}
          }) {
        ModemDialect d = (ModemDialect) v[0];
        boolean transparent = (Boolean) v[1];
        try (SimModem m = SimModem.start(d, transparent)) {
          m.modem.bringUp();
          try (Socket s =
              m.modem.socketFactory().createSocket("127.0.0.1", sink.server.getLocalPort())) {
            m.sim.resetCounters();
            s.setSoTimeout(30_000);
            double secs = upload(s, data);
            rows.add(
                new Row(
                    d + (transparent ? " transparent" : " buffered"),
                    SIZE / secs,
                    (double) m.sim.serialBytesIn() / m.sim.tcpBytesSent()));
            assertThat(m.sim.tcpBytesSent()).isEqualTo(SIZE);
          } catch (java.net.SocketTimeoutException e) {
            // printed, not hidden: a stalled row shows as 0 in the table
            System.out.printf(
                "%s%s stalled: %s (simulator received %d of %d bytes on the serial line)%n",
                d,
                transparent ? " transparent" : " buffered",
                e.getMessage(),
                m.sim.serialBytesIn(),
                SIZE);
            rows.add(new Row(d + (transparent ? " transparent" : " buffered"), 0, Double.NaN));
          }
        }
      }
    }
    double base = rows.get(0).bytesPerSecond();
    System.out.printf("%nmodem socket vs direct loopback, %d KiB upload%n", SIZE / 1024);
    System.out.printf("%-22s %12s %10s %16s%n", "path", "KiB/s", "ratio", "serial/payload");
    for (Row r : rows) {
      System.out.printf(
          "%-22s %12.0f %10.4f %16s%n",
          r.name(),
          r.bytesPerSecond() / 1024,
          r.bytesPerSecond() / base,
          Double.isNaN(r.serialPerPayload()) ? "-" : String.format("%.4f", r.serialPerPayload()));
    }
  }

  @Test
  void goodputOverASimulatedOneMegabitLink() throws Exception {
    int size = 1024 * 1024;
    long bps = 1_000_000;
    byte[] data = new byte[size];
    new Random(2).nextBytes(data);
    System.out.printf("%ngoodput of a 1 MiB upload over a simulated 1 Mbit/s link%n");
    System.out.printf(
        "%-22s %10s %14s %16s%n", "path", "seconds", "of link rate", "serial/payload");
    try (Sink sink = new Sink(size)) {
      for (Object[] v :
          new Object[][] {
            {ModemDialect.SIM7600, false}, {ModemDialect.EC25, false}, {ModemDialect.EC25, true}
          }) {
        ModemDialect d = (ModemDialect) v[0];
        boolean transparent = (Boolean) v[1];
        try (SimModem m = SimModem.start(d, transparent, b -> b.linkBitsPerSecond(bps), b -> b)) {
          m.modem.bringUp();
          try (Socket s =
              m.modem.socketFactory().createSocket("127.0.0.1", sink.server.getLocalPort())) {
            m.sim.resetCounters();
            double secs = upload(s, data);
            double ofLink = size * 8.0 / secs / bps;
            System.out.printf(
                "%-22s %10.2f %13.1f%% %16.4f%n",
                d + (transparent ? " transparent" : " buffered"),
                secs,
                ofLink * 100,
                (double) m.sim.serialBytesIn() / m.sim.tcpBytesSent());
            assertThat(ofLink).isGreaterThan(0.1);
          }
        }
      }
    }
  }
}
