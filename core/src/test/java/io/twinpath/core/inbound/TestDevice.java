package io.twinpath.core.inbound;

import io.twinpath.core.DeviceId;
import io.twinpath.core.maildir.Maildir;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.MqttLink;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.core.wire.RejectedCommandException;
import io.twinpath.core.wire.ReplayGuard;
import io.twinpath.core.wire.SequenceCounter;
import io.twinpath.core.wire.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One device as the apps wire it: keys, pairing, signed commands, a real MQTT link, an inbound
 * store with its sink (Maildir for the host, holding for the secondary) and the sync.
 */
final class TestDevice implements AutoCloseable {
  final DeviceId id;
  final Path dir;
  final DeviceKeys keys;
  final PairingStore peers;
  final InboundStore store;
  final InboundSink sink;
  final @Nullable Maildir maildir;
  final AtomicInteger rejected = new AtomicInteger();
  final java.util.concurrent.ConcurrentLinkedQueue<String> events =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  final io.twinpath.core.event.TwinpathListener listener =
      new io.twinpath.core.event.TwinpathListener() {
        @Override
        public void inboundReconciled(
            DeviceId peer, int missingHere, int missingThere, long bytes, int roundTrips) {
          events.add("reconciled " + peer + " " + missingHere + " " + missingThere);
        }

        @Override
        public void inboundStored(String id, DeviceId source, long bytes) {
          events.add("stored " + id + " from " + source);
        }
      };
  @Nullable CommandCodec codec;
  @Nullable MqttLink link;
  @Nullable InboundSync sync;

  TestDevice(String name, Path dir, boolean host, long budget) throws IOException {
    this(name, dir, host, budget, Clock.systemUTC());
  }

  /** With {@code clock} dating the ids its store learns. */
  TestDevice(String name, Path dir, boolean host, long budget, Clock clock) throws IOException {
    this.id = DeviceId.of(name);
    this.dir = dir;
    this.keys = DeviceKeys.loadOrCreate(dir.resolve("keys"), id);
    this.peers = PairingStore.open(dir.resolve("peers.json"));
    this.store = InboundStore.open(dir.resolve("inbound"), budget, InboundIdSet.create(), clock);
    if (host) {
      this.maildir = Maildir.open(dir.resolve("Mail"));
      this.sink = InboundSink.maildir(store, maildir);
    } else {
      this.maildir = null;
      this.sink = InboundSink.holding(store);
    }
  }

  void pairWith(TestDevice other) throws IOException {
    peers.trust(other.id, other.keys.publicKeyBase64());
    other.peers.trust(id, keys.publicKeyBase64());
  }

  /** Connects to the broker and starts answering inbound commands. */
  void goOnline(String brokerUrl) throws Exception {
    CommandCodec c =
        new CommandCodec(
            keys,
            SequenceCounter.open(dir.resolve("seq")),
            peers,
            ReplayGuard.open(dir.resolve("replay.json")),
            Clock.systemUTC());
    this.codec = c;
    LinkSettings s =
        LinkSettings.builder()
            .brokerUrl(brokerUrl)
            .device(id)
            .role("test")
            .dataDir(dir.resolve("link"))
            .keepAlive(Duration.ofSeconds(5))
            .build();
    // the sync exists before the link starts, so nothing queued for this device is lost
    java.util.concurrent.CompletableFuture<MqttLink> linkReady =
        new java.util.concurrent.CompletableFuture<>();
    InboundSync sy =
        new InboundSync(
            id,
            sink,
            (to, type, f) -> linkReady.join().publish(Topics.inbox(to), c.seal(type, to, f), false),
            10_000,
            listener);
    this.sync = sy;
    MqttLink l =
        MqttLink.start(
            s,
            Clock.systemUTC(),
            (topic, payload, dup) -> {
              if (!topic.equals(Topics.inbox(id))) {
                return;
              }
              try {
                Command cmd = c.open(payload);
                if (InboundSync.handles(cmd.type())) {
                  sy.onCommand(cmd);
                }
              } catch (RejectedCommandException e) {
                rejected.incrementAndGet();
              }
            });
    linkReady.complete(l);
    this.link = l;
  }

  boolean connected() {
    MqttLink l = link;
    return l != null && l.isConnected();
  }

  InboundSync sync() {
    InboundSync s = sync;
    if (s == null) {
      throw new IllegalStateException(id + " is not online");
    }
    return s;
  }

  void goOffline() {
    InboundSync s = sync;
    if (s != null) {
      s.close();
    }
    MqttLink l = link;
    if (l != null) {
      l.close();
    }
    sync = null;
    link = null;
  }

  @Override
  public void close() throws IOException {
    goOffline();
    store.close();
  }
}
