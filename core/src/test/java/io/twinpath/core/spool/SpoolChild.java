package io.twinpath.core.spool;

import io.twinpath.core.item.OutboundItem;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A separate JVM for the kill -9 test: queues one item and prints its id, then starts queueing a
 * second, endless message and prints WRITING while it is half on disk; then waits to be killed.
 */
public final class SpoolChild {
  private SpoolChild() {}

  public static void main(String[] args) throws Exception {
    Spool spool = Spool.open(Path.of(args[0]));
    OutboundItem item =
        spool.enqueue(
            SpoolTest.ENVELOPE,
            new ByteArrayInputStream(SpoolTest.message("acknowledged")),
            SpoolTest.later(),
            SpoolTest.LAPTOP);
    System.out.println("QUEUED " + item.id() + " " + item.sha256());
    System.out.flush();
    spool.enqueue(SpoolTest.ENVELOPE, new Endless(), SpoolTest.later(), SpoolTest.LAPTOP);
  }

  /** A prepared header, then body lines forever; announces itself after 1 MiB. */
  private static final class Endless extends InputStream {
    private final byte[] header =
        "Message-ID: <e@x.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private long served;
    private boolean announced;

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (served > (2 << 20)) {
        if (!announced) {
          announced = true;
          System.out.println("WRITING");
          System.out.flush();
        }
        while (true) {
          LockSupport.park(); // half-written, waiting for kill -9
        }
      }
      int n = Math.min(len, 1000);
      for (int i = 0; i < n; i++) {
        long p = served + i;
        long q = p - header.length;
        b[off + i] =
            p < header.length
                ? header[(int) p]
                : (byte) (q % 50 == 48 ? '\r' : q % 50 == 49 ? '\n' : 'a');
      }
      served += n;
      return n;
    }
  }
}
