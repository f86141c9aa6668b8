package io.twinpath.core.engine;

import static org.awaitility.Awaitility.await;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.PairingStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ThrowingRunnable;
import org.jspecify.annotations.Nullable;

/** N paired devices on one broker, each with its own data directory, store, path and listener. */
final class Cluster implements AutoCloseable {
  /** Longer than any backoff, takeover delay or sync wait the engine tests run with. */
  static final Duration QUIET = Duration.ofMillis(1500);

  /**
   * Asserts that {@code check} holds and keeps holding for {@link #QUIET}: an absence checked right
   * after an outcome (no attempt, no further attempt) would otherwise let a late one pass unseen.
   */
  static void holdsLater(ThrowingRunnable check) {
    await().during(QUIET).atMost(QUIET.plusSeconds(20)).untilAsserted(check);
  }

  final String brokerUrl;
  final Path root;
  final List<DeviceId> order = new ArrayList<>();
  final Map<DeviceId, Node> nodes = new LinkedHashMap<>();
  final CoordinatorSettings settings;

  /** One device. */
  final class Node {
    final DeviceId id;
    final DirStore store;
    final ScriptedPath path;
    final RecordingListener events = new RecordingListener();
    @Nullable Coordinator coordinator;
    @Nullable Scheduler scheduler;
    @Nullable SendPath randomPath;

    /** This device's own settings, when they differ from the cluster's. */
    @Nullable CoordinatorSettings ownSettings;

    Clock clock = Clock.systemUTC();
    String brokerUrl;

    Node(DeviceId id, ScriptedPath path, String brokerUrl) {
      this.id = id;
      this.store = new DirStore(root.resolve(id.value()).resolve("store"));
      this.path = path;
      this.brokerUrl = brokerUrl;
    }

    Path dataDir() {
      return root.resolve(id.value()).resolve("data");
    }

    /** Queues the test message to a@example.org here and hands it to this device's engine. */
    ItemMeta submit() throws IOException {
      ItemMeta item = store.enqueue(id, clock(), CoordinatorIT.MESSAGE, "a@example.org");
      c().submit(item);
      return item;
    }

    /**
     * Signs commands with this device's own key, as an outside client would after stealing it: its
     * sequence numbers start far ahead of the real device's (files under {@code work}).
     */
    io.twinpath.core.wire.CommandCodec forger(Path work) throws IOException {
      java.nio.file.Files.createDirectories(work);
      java.nio.file.Files.writeString(work.resolve("sequence"), "1000000000");
      return new io.twinpath.core.wire.CommandCodec(
          DeviceKeys.loadOrCreate(dataDir(), id),
          io.twinpath.core.wire.SequenceCounter.open(work.resolve("sequence")),
          PairingStore.open(dataDir().resolve("peers.json")),
          io.twinpath.core.wire.ReplayGuard.open(work.resolve("replay.json")),
          Clock.systemUTC());
    }

    Coordinator build() throws IOException {
      Coordinator.Builder b = Coordinator.builder();
      Scheduler s = scheduler;
      if (s != null) {
        b.scheduler(s);
      }
      return b.device(id)
          .clock(clock)
          .order(order)
          .dataDir(dataDir())
          .broker(
              LinkSettings.builder()
                  .brokerUrl(brokerUrl)
                  .device(id)
                  .role(order.indexOf(id) == 0 ? "host" : "secondary")
                  .dataDir(dataDir())
                  .keepAlive(Duration.ofSeconds(2))
                  .connectTimeout(Duration.ofSeconds(2))
                  .build())
          .store(store)
          .path(randomPath != null ? randomPath : path)
          .listener(events)
          .settings(ownSettings != null ? ownSettings : settings)
          .build();
    }

    Coordinator c() {
      Coordinator c = coordinator;
      if (c == null) {
        throw new IllegalStateException(id + " is not running");
      }
      return c;
    }

    /** Starts (again) on the same data directory and waits until it sees every peer online. */
    Node start() throws IOException {
      coordinator = build().start();
      return this;
    }
  }

  Cluster(String brokerUrl, Path root, CoordinatorSettings settings, String... devices) {
    this.brokerUrl = brokerUrl;
    this.root = root;
    this.settings = settings;
    for (String d : devices) {
      order.add(DeviceId.of(d));
    }
    for (DeviceId d : order) {
      nodes.put(d, new Node(d, new ScriptedPath(), brokerUrl));
    }
  }

  Node node(String id) {
    return nodes.get(DeviceId.of(id));
  }

  /** Creates every device's key and makes every device trust every other one. */
  void pairAll() throws IOException {
    for (Node a : nodes.values()) {
      DeviceKeys ka = DeviceKeys.loadOrCreate(a.dataDir(), a.id);
      for (Node b : nodes.values()) {
        if (a != b) {
          PairingStore.open(b.dataDir().resolve("peers.json")).trust(a.id, ka.publicKeyBase64());
        }
      }
    }
  }

  /** Starts every device and waits until each sees all the others online. */
  Cluster startAll() throws IOException {
    pairAll();
    for (Node n : nodes.values()) {
      n.start();
    }
    awaitAllOnline();
    return this;
  }

  void awaitAllOnline() {
    for (Node n : nodes.values()) {
      if (n.coordinator == null) {
        continue;
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  n.c().status().peers().entrySet().stream()
                      .filter(e -> nodes.get(e.getKey()).coordinator != null)
                      .allMatch(e -> e.getValue().equals("online")));
    }
  }

  static Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public void close() {
    for (Node n : nodes.values()) {
      Coordinator c = n.coordinator;
      if (c != null) {
        n.path.release.countDown();
        c.close();
      }
    }
  }
}
