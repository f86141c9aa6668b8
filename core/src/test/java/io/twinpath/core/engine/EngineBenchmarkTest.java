package io.twinpath.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.twinpath.core.DeviceId;
import io.twinpath.core.event.FailureClass;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SendResult;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.Topics;
import io.twinpath.testing.Fault;
import io.twinpath.testing.FaultProxy;
import io.twinpath.testing.MosquittoExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine side by side with plain sends, over a loopback Mosquitto and GreenMail: latency of one
 * send, failover and handover latency, a black-holed host path, throughput of 200 × 10 KB, and copy
 * throughput against raw QoS 1 publishing. Prints one table of ratios.
 */
@Tag("benchmark")
class EngineBenchmarkTest {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  static final DeviceId LAPTOP = DeviceId.of("laptop");
  static final DeviceId DONGLE = DeviceId.of("dongle");
  static final List<DeviceId> ORDER = List.of(LAPTOP, DONGLE);

  @TempDir Path dir;
  GreenMail greenMail;
  FaultProxy hostPath;
  final List<SpoolDevice> devices = new ArrayList<>();
  final Timing timing = new Timing();

  /** Event times in nanoseconds, by item. */
  static final class Timing implements TwinpathListener {
    final Map<ItemId, Long> delivered = new ConcurrentHashMap<>();
    final Map<ItemId, Long> hostFailed = new ConcurrentHashMap<>();
    final Map<ItemId, Long> dongleStarted = new ConcurrentHashMap<>();
    final Map<ItemId, Long> copied = new ConcurrentHashMap<>();

    @Override
    public void delivered(ItemId item, DeviceId path, Instant at, String reply) {
      delivered.putIfAbsent(item, System.nanoTime());
    }

    @Override
    public void attemptFailed(ItemId item, DeviceId device, FailureClass f, String reason) {
      if (device.equals(LAPTOP)) {
        hostFailed.putIfAbsent(item, System.nanoTime());
      }
    }

    @Override
    public void attemptStarted(ItemId item, DeviceId device, long epoch, int attempt) {
      if (device.equals(DONGLE)) {
        dongleStarted.putIfAbsent(item, System.nanoTime());
      }
    }

    @Override
    public void copyProgress(ItemId item, DeviceId peer, long bytes, long total) {
      if (bytes == total) {
        copied.putIfAbsent(item, System.nanoTime());
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    greenMail =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    greenMail.start();
    hostPath = FaultProxy.to("127.0.0.1", greenMail.getSmtp().getPort());
    SpoolDevice.pairAll(dir, ORDER);
    CoordinatorSettings s =
        CoordinatorSettings.builder()
            .takeoverDelay(Duration.ofMinutes(5))
            .initialBackoff(Duration.ofMillis(200))
            .build();
    SpoolDevice laptop = new SpoolDevice(dir, LAPTOP, ORDER, hostPath.port(), s);
    laptop.extra = timing;
    SpoolDevice dongle = new SpoolDevice(dir, DONGLE, ORDER, greenMail.getSmtp().getPort(), s);
    dongle.extra = timing;
    devices.add(laptop.start(mqtt.url()));
    devices.add(dongle.start(mqtt.url()));
    for (SpoolDevice d : devices) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> d.c().status().peers().values().stream().allMatch("online"::equals));
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (SpoolDevice d : devices) {
      d.stop(false);
    }
    hostPath.close();
    greenMail.stop();
  }

  static byte[] message(int i, int size) {
    StringBuilder b =
        new StringBuilder(
            "Message-ID: <bench-"
                + i
                + "-"
                + System.nanoTime()
                + "@example.org>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\nSubject: b"
                + i
                + "\r\n\r\n");
    while (b.length() < size - 78) {
      b.append("x".repeat(76)).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static double p(long[] nanos, double q) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    int i = (int) Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
    return s[i] / 1e6;
  }

  SmtpSender directSender() {
    return SmtpSender.create(
        SmtpSettings.builder()
            .host("127.0.0.1")
            .port(greenMail.getSmtp().getPort())
            .tls(SmtpSettings.TlsMode.NONE)
            .connectTimeout(Duration.ofSeconds(1))
            .readTimeout(Duration.ofSeconds(3))
            .build());
  }

  long twinpathSend(SpoolDevice laptop, byte[] m) throws Exception {
    long t0 = System.nanoTime();
    OutboundItem item = laptop.queue(m, "a@example.org");
    laptop.c().submit(item);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> timing.delivered.containsKey(item.id()));
    return timing.delivered.get(item.id()) - t0;
  }

  @Test
  void engineAgainstPlainSends() throws Exception {
    SpoolDevice laptop = devices.get(0);
    SmtpSender direct = directSender();
    int n = 20;
    // warm up both
    for (int i = 0; i < 5; i++) {
      byte[] m = message(i, 10_000);
      direct.send(item(m), new ByteArrayInputStream(m), Set.of());
      twinpathSend(laptop, m);
    }

    long[] plain = new long[n];
    long[] twin = new long[n];
    for (int i = 0; i < n; i++) {
      byte[] m = message(i, 10_000);
      long t0 = System.nanoTime();
      SendResult r = direct.send(item(m), new ByteArrayInputStream(m), Set.of());
      plain[i] = System.nanoTime() - t0;
      assertThat(r.outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
      twin[i] = twinpathSend(laptop, m);
    }

    // failover: the host's path refuses; handover = host's failure -> dongle's attempt start
    hostPath.set(Fault.refuse());
    int nf = 30;
    long[] failover = new long[nf];
    long[] handover = new long[nf];
    for (int i = 0; i < nf; i++) {
      byte[] m = message(1000 + i, 10_000);
      long t0 = System.nanoTime();
      OutboundItem item = laptop.queue(m, "a@example.org");
      laptop.c().submit(item);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> timing.delivered.containsKey(item.id()));
      failover[i] = timing.delivered.get(item.id()) - t0;
      handover[i] = timing.dongleStarted.get(item.id()) - timing.hostFailed.get(item.id());
    }

    // black-holed host path (connect timeout 1 s) against the healthy path
    hostPath.set(Fault.blackHole());
    int nb = 3;
    long[] black = new long[nb];
    for (int i = 0; i < nb; i++) {
      black[i] = twinpathSend(laptop, message(2000 + i, 10_000));
    }
    hostPath.set(Fault.none());

    // throughput: 200 x 10 KB, plain sequential sends vs everything submitted at once
    int nt = 200;
    List<byte[]> msgs = new ArrayList<>();
    for (int i = 0; i < nt; i++) {
      msgs.add(message(3000 + i, 10_000));
    }
    long t0 = System.nanoTime();
    for (byte[] m : msgs) {
      direct.send(item(m), new ByteArrayInputStream(m), Set.of());
    }
    long plainAll = System.nanoTime() - t0;
    List<ItemId> ids = new ArrayList<>();
    t0 = System.nanoTime();
    for (byte[] m : msgs) {
      OutboundItem item = laptop.queue(m, "a@example.org");
      laptop.c().submit(item);
      ids.add(item.id());
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> ids.stream().allMatch(timing.delivered::containsKey));
    long twinAll = ids.stream().mapToLong(timing.delivered::get).max().orElseThrow() - t0;

    // copy throughput: a 4 MiB item while the host's attempt hangs, vs raw QoS 1 publishing;
    // measured alone, once both devices finished the items before
    for (SpoolDevice d : devices) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> d.c().status().queue().isEmpty());
    }
    hostPath.set(Fault.silent());
    byte[] big = message(9999, 4 * 1024 * 1024);
    t0 = System.nanoTime();
    OutboundItem bigItem = laptop.queue(big, "a@example.org");
    laptop.c().submit(bigItem);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> timing.copied.containsKey(bigItem.id()));
    long copyNanos = timing.copied.get(bigItem.id()) - t0;
    long rawNanos = rawPublish(big, 32 * 1024);

    double mb = big.length / 1e6;
    String table =
        String.join(
            "\n",
            "",
            "Twinpath engine benchmark (loopback Mosquitto + GreenMail; ms unless noted)",
            String.format("%-44s %10s %10s %8s", "measure", "twinpath", "baseline", "ratio"),
            row("one send, submit -> delivered, p50", p(twin, 0.5), p(plain, 0.5)),
            row("one send, p99", p(twin, 0.99), p(plain, 0.99)),
            row("failover send (host refused), p50", p(failover, 0.5), p(plain, 0.5)),
            row("failover send (host refused), p99", p(failover, 0.99), p(plain, 0.99)),
            row("handover: host failure -> dongle start, p50", p(handover, 0.5), 50),
            row("handover p99 (baseline = 200 ms target)", p(handover, 0.99), 200),
            row("host path black-holed, p50 (vs healthy)", p(black, 0.5), p(twin, 0.5)),
            row(
                "200 x 10 KB, msgs/s (twinpath/plain)",
                nt / (twinAll / 1e9),
                nt / (plainAll / 1e9)),
            row(
                "copy 4 MiB, MB/s (vs raw QoS 1 publish)",
                mb / (copyNanos / 1e9),
                mb / (rawNanos / 1e9)),
            "");
    System.out.println(table);
    assertThat(timing.delivered).containsKeys(ids.toArray(new ItemId[0]));
  }

  static String row(String name, double a, double b) {
    return String.format("%-44s %10.1f %10.1f %7.2fx", name, a, b, a / b);
  }

  /** Publishes {@code bytes} in chunks at QoS 1 to a subscriber and waits for all to arrive. */
  long rawPublish(byte[] bytes, int chunk) throws Exception {
    AtomicLong got = new AtomicLong();
    MqttLink rx =
        MqttLink.start(
            LinkSettings.builder()
                .brokerUrl(mqtt.url())
                .device(DeviceId.of("rx"))
                .dataDir(dir.resolve("rx"))
                .build(),
            Clock.systemUTC(),
            (t, p, d) -> {
              if (t.equals(Topics.inbox(DeviceId.of("rx")))) {
                got.addAndGet(p.length);
              }
            });
    MqttLink tx =
        MqttLink.start(
            LinkSettings.builder()
                .brokerUrl(mqtt.url())
                .device(DeviceId.of("tx"))
                .dataDir(dir.resolve("tx"))
                .build(),
            Clock.systemUTC(),
            (t, p, d) -> {});
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> rx.isConnected() && tx.isConnected());
      long t0 = System.nanoTime();
      for (int off = 0; off < bytes.length; off += chunk) {
        tx.publish(
            Topics.inbox(DeviceId.of("rx")),
            Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + chunk)),
            false);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(2))
          .until(() -> got.get() >= bytes.length);
      return System.nanoTime() - t0;
    } finally {
      tx.close();
      rx.close();
    }
  }

  static OutboundItem item(byte[] m) {
    ItemId id = ItemId.generate(Clock.systemUTC());
    return OutboundItem.of(
        id,
        Envelope.of("me@example.org", List.of("a@example.org")),
        Instant.now(),
        Instant.now().plusSeconds(600),
        m.length,
        DirStore.sha256(m),
        "<" + id + "@example.org>",
        LAPTOP);
  }
}
