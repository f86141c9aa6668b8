package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.Coordinator;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.PairingStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dongle's footprint, default JVM flags against the launcher's: start-to-ready time, resident
 * memory at idle and while a 10 MB item is copied to it from a host engine, and the jlink image
 * size. Targets: RSS at most 96 MB, ready within 2 s, image at most 60 MB.
 */
@Tag("benchmark")
class FootprintBenchmark {
  static final List<String> DEFAULT = List.of("-Xmx32m");
  static final List<String> TUNED =
      List.of(
          "-Xmx32m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xss256k",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:MaxMetaspaceSize=64m",
          "-XX:MaxDirectMemorySize=16m",
          "-Dio.netty.allocator.numDirectArenas=1",
          "-Dio.netty.allocator.numHeapArenas=1");
  private static final Pattern RUNNING = Pattern.compile("running; broker (tcp://\\S+);");
  private static final int MESSAGE_BYTES = 10 * 1024 * 1024;

  @TempDir Path dir;

  record Run(long readyMillis, long idleKb, long peakKb) {}

  @Test
  void footprintDefaultVersusTuned() throws Exception {
    Run plain = measure("default", DEFAULT);
    Run tuned = measure("tuned", TUNED);
    long image = imageBytes();
    System.out.println();
    System.out.println(
        "dongle footprint (" + Runtime.getRuntime().availableProcessors() + " CPUs)");
    System.out.printf("%-22s %12s %12s %8s%n", "measure", "java -Xmx32m", "launcher", "ratio");
    row("start to ready (ms)", plain.readyMillis, tuned.readyMillis);
    row("RSS idle (MB)", plain.idleKb / 1024, tuned.idleKb / 1024);
    row("RSS 10 MB copy (MB)", plain.peakKb / 1024, tuned.peakKb / 1024);
    System.out.printf(
        "%-22s %12s %12s %8s%n",
        "jlink image (MB)",
        "-",
        image < 0 ? "no jar" : Long.toString(image >> 20),
        image < 0 ? "-" : String.format("%.2f", image / (60.0 * (1 << 20))) + " of 60");
    System.out.println("targets: RSS <= 96 MB, ready <= 2000 ms, image <= 60 MB");
    assertThat(tuned.peakKb).isPositive();
  }

  private static void row(String name, long a, long b) {
    System.out.printf("%-22s %12d %12d %8.2f%n", name, a, b, a == 0 ? 0.0 : (double) b / a);
  }

  private Run measure(String name, List<String> flags) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    Path dongleData = home.resolve("state").resolve("twinpath-dongle");
    Path hostData = home.resolve("host");
    DeviceId laptop = DeviceId.of("laptop");
    DeviceId dongle = DeviceId.of("dongle");
    DeviceKeys hostKeys = DeviceKeys.loadOrCreate(Files.createDirectories(hostData), laptop);
    DeviceKeys dongleKeys = DeviceKeys.loadOrCreate(Files.createDirectories(dongleData), dongle);
    PairingStore.open(dongleData.resolve("peers.json")).trust(laptop, hostKeys.publicKeyBase64());
    PairingStore.open(hostData.resolve("peers.json")).trust(dongle, dongleKeys.publicKeyBase64());

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            TwinpathDongle.class.getName(),
            "run",
            "--broker-port",
            "0"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path log = home.resolve("out.log");
    pb.redirectOutput(log.toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    pb.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
    pb.environment().remove("STATE_DIRECTORY");
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> RUNNING.matcher(Files.readString(log)).find() || !p.isAlive());
      long ready = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      Matcher m = RUNNING.matcher(Files.readString(log));
      assertThat(m.find()).as(Files.readString(log)).isTrue();
      String broker = m.group(1);
      // idle means settled: the process keeps running for a few seconds before it is measured
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(p::isAlive);
      long idle = rssKb(p.pid());
      long[] peak = {idle};
      try (Spool spool = Spool.open(hostData.resolve("spool"));
          Coordinator host =
              Coordinator.builder()
                  .device(laptop)
                  .order(List.of(laptop, dongle))
                  .dataDir(hostData)
                  .broker(
                      LinkSettings.builder()
                          .brokerUrl(broker)
                          .device(laptop)
                          .role("host")
                          .dataDir(hostData)
                          .build())
                  .spool(spool)
                  .clock(Clock.systemUTC())
                  .build()
                  .start()) {
        OutboundItem item =
            spool.enqueue(
                Envelope.of("ana@example.org", List.of("bo@example.net")),
                message(),
                Instant.now().plus(Duration.ofHours(1)),
                laptop);
        host.submit(item);
        Path copied = dongleData.resolve("spool").resolve("items").resolve(item.id().toString());
        await()
            .atMost(Duration.ofSeconds(50))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> {
                  peak[0] = Math.max(peak[0], rssKb(p.pid()));
                  return Files.exists(copied.resolve("meta.json"));
                });
      }
      return new Run(ready, idle, peak[0]);
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  private static InputStream message() {
    String head =
        "From: ana@example.org\r\nTo: bo@example.net\r\nSubject: big\r\n"
            + "Message-ID: <big@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n";
    byte[] line = (("x".repeat(76)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    int lines = MESSAGE_BYTES / line.length;
    ByteArrayOutputStream body = new ByteArrayOutputStream(lines * line.length);
    for (int i = 0; i < lines; i++) {
      body.write(line, 0, line.length);
    }
    return new SequenceInputStream(
        new java.io.ByteArrayInputStream(head.getBytes(StandardCharsets.US_ASCII)),
        new java.io.ByteArrayInputStream(body.toByteArray()));
  }

  static long rssKb(long pid) throws java.io.IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/status"))) {
      return lines
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst()
          .orElse(0L);
    }
  }

  /** Builds the image with the launcher's script when the app jar exists; -1 otherwise. */
  private long imageBytes() throws Exception {
    Path target = Path.of("target");
    Path jar;
    try (Stream<Path> s = Files.list(target)) {
      jar = s.filter(f -> f.getFileName().toString().endsWith("-all.jar")).findFirst().orElse(null);
    }
    if (jar == null) {
      return -1;
    }
    Path out = dir.resolve("image");
    Process p =
        new ProcessBuilder(
                Path.of("src/main/dist/build-image.sh").toAbsolutePath().toString(),
                jar.toAbsolutePath().toString(),
                out.toString())
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(text).isZero();
    try (Stream<Path> s = Files.walk(out)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
