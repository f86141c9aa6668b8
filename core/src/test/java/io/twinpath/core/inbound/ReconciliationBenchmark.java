package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.core.wire.ReplayGuard;
import io.twinpath.core.wire.SequenceCounter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rateless IBLT reconciliation against sending the naive id list, for two sets of a million 64-bit
 * ids that differ by d. Bytes are protocol payload bytes in both directions (MQTT framing
 * excluded); a round trip is one request and its answer.
 */
@Tag("benchmark")
class ReconciliationBenchmark {
  private static final int N = 1_000_000;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  @TempDir Path keysDir;
  private CommandCodec codec;
  private static final DeviceId PEER = DeviceId.of("dongle");

  /** What one payload costs on MQTT inside the signed command envelope. */
  private long signed(byte[] payload) {
    JsonObject f = new JsonObject();
    f.addProperty("data", Base64.getEncoder().encodeToString(payload));
    return codec.seal("inbound.reconcile", PEER, f).length;
  }

  @Test
  void millionIds() throws Exception {
    DeviceId self = DeviceId.of("laptop");
    codec =
        new CommandCodec(
            DeviceKeys.loadOrCreate(keysDir.resolve("keys"), self),
            SequenceCounter.open(keysDir.resolve("seq")),
            PairingStore.open(keysDir.resolve("peers.json")),
            ReplayGuard.open(keysDir.resolve("replay.json")),
            Clock.systemUTC());
    Random rnd = new Random(1);
    InboundIdSet a = InboundIdSet.create();
    InboundIdSet b = InboundIdSet.create();
    long touched = 0;
    for (int i = 0; i < N; i++) {
      long x = rnd.nextLong();
      touched += a.addRaw(x);
      b.addRaw(x);
    }
    // the update cost, measured on a set that already holds a million ids
    long[] fresh = new long[100_000];
    for (int i = 0; i < fresh.length; i++) {
      fresh[i] = rnd.nextLong();
    }
    long t0 = CPU.getCurrentThreadCpuTime();
    long freshTouched = 0;
    for (long x : fresh) {
      freshTouched += a.addRaw(x);
    }
    long addNanos = CPU.getCurrentThreadCpuTime() - t0;
    for (long x : fresh) {
      a.remove(InboundId.of(x));
    }
    // warm up the code paths once
    for (int w = 0; w < 30; w++) {
      run(rnd, a, b, 300, w);
    }

    System.out.println();
    System.out.printf(
        "Set reconciliation, n = %,d ids of 64 bits; naive = the full id list (8 bytes an id)%n",
        N);
    System.out.println(
        "|     d | trials | symbols p50 | bytes p50 | bytes p99 | rt p50 | rt p99 |"
            + " decode CPU ms p50 | p99 | naive bytes | naive / riblt (p99) |"
            + " signed on MQTT p50 | p99 |");
    System.out.println(
        "|------:|-------:|------------:|----------:|----------:|-------:|-------:|"
            + "-----------------:|----:|------------:|--------------------:|"
            + "------------------:|----:|");
    int[][] plan = {{0, 20}, {1, 100}, {10, 100}, {100, 300}, {1_000, 60}, {5_000, 20}};
    for (int[] p : plan) {
      int d = p[0];
      int trials = p[1];
      long[] bytes = new long[trials];
      int[] rts = new int[trials];
      int[] symbols = new int[trials];
      double[] ms = new double[trials];
      long[] wire = new long[trials];
      for (int t = 0; t < trials; t++) {
        Sample s = run(rnd, a, b, d, 1000 + t);
        bytes[t] = s.result.bytesTotal();
        rts[t] = s.result.roundTrips();
        symbols[t] = s.result.symbols();
        ms[t] = s.decodeNanos / 1e6;
        wire[t] = s.signedBytes;
      }
      Arrays.sort(bytes);
      Arrays.sort(rts);
      Arrays.sort(symbols);
      Arrays.sort(ms);
      Arrays.sort(wire);
      long naive = 8L * N;
      long p99 = bytes[p99(trials)];
      System.out.printf(
          "| %,5d | %6d | %11d | %9d | %9d | %6d | %6d | %16.2f | %.2f | %11d | %19.0f | %18d | %d |%n",
          d,
          trials,
          symbols[trials / 2],
          bytes[trials / 2],
          p99,
          rts[trials / 2],
          rts[p99(trials)],
          ms[trials / 2],
          ms[p99(trials)],
          naive,
          naive / (double) p99,
          wire[trials / 2],
          wire[p99(trials)]);
      if (d == 0) {
        assertThat(p99).isLessThanOrEqualTo(64);
        assertThat(rts[trials - 1]).isEqualTo(1);
      } else if (d == 100) {
        assertThat(p99).isLessThanOrEqualTo(4 * 1024);
        assertThat(rts[p99(trials)]).isLessThanOrEqualTo(2);
      } else if (d == 1_000) {
        assertThat(p99).isLessThanOrEqualTo(32 * 1024);
      } else if (d == 5_000) {
        assertThat(p99).isLessThanOrEqualTo(140 * 1024);
      }
      if (d <= 1_000) {
        assertThat(ms[trials / 2]).as("median decode ms at d=%d", d).isLessThanOrEqualTo(10);
      }
    }
    System.out.printf(
        "Incremental update on a set of %,d: %.0f ns CPU and %.1f coded symbols per new id"
            + " (%d kept after the run; about 2 ln(kept/2), never more than kept)%n",
        N, addNanos / (double) fresh.length, freshTouched / (double) fresh.length, a.keptSymbols());
    assertThat(touched).isPositive();
  }

  private static int p99(int trials) {
    return Math.min(trials - 1, (int) Math.ceil(trials * 0.99) - 1);
  }

  private record Sample(ReconcileResult result, long decodeNanos, long signedBytes) {}

  /** Adds d differences split at random between the two sides, reconciles, takes them out. */
  private Sample run(Random rnd, InboundIdSet a, InboundIdSet b, int d, int session) {
    int onlyA = rnd.nextInt(d + 1);
    long[] extra = new long[d];
    for (int i = 0; i < d; i++) {
      extra[i] = rnd.nextLong();
      (i < onlyA ? a : b).addRaw(extra[i]);
    }
    ReconcileInitiator ini = Reconciliation.initiate(a, session);
    ReconcileResponder res = Reconciliation.responder(b);
    byte[] msg = ini.hello();
    long decode = 0;
    long wire = signed(msg);
    ReconcileResult result;
    while (true) {
      byte[] answer = res.onMessage(msg);
      wire += signed(answer);
      long t0 = CPU.getCurrentThreadCpuTime();
      ReconcileInitiator.Step step = ini.onMessage(answer);
      decode += CPU.getCurrentThreadCpuTime() - t0;
      if (step.result() != null) {
        result = step.result();
        break;
      }
      msg = step.reply();
      wire += signed(msg);
    }
    assertThat(result.missingThere()).hasSize(onlyA);
    assertThat(result.missingHere()).hasSize(d - onlyA);
    for (int i = 0; i < d; i++) {
      (i < onlyA ? a : b).remove(InboundId.of(extra[i]));
    }
    return new Sample(result, decode, wire);
  }
}
