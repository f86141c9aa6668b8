package io.twinpath.core.engine;

import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.LinkSettings;
import io.twinpath.core.wire.PairingStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One device with real parts: its spool, its SMTP sender, a coordinator. */
final class SpoolDevice {
  final DeviceId id;
  final List<DeviceId> order;
  final Path data;
  final int smtpPort;
  final CoordinatorSettings settings;
  final RecordingListener events = new RecordingListener();
  @Nullable TwinpathListener extra;

  /** A send path in place of the SMTP sender to {@link #smtpPort}. */
  @Nullable SendPath path;

  Duration connectTimeout = Duration.ofSeconds(1);
  Duration readTimeout = Duration.ofSeconds(3);
  @Nullable Spool spool;
  @Nullable Coordinator coordinator;

  SpoolDevice(Path root, DeviceId id, List<DeviceId> order, int smtpPort, CoordinatorSettings s) {
    this.id = id;
    this.order = order;
    this.data = root.resolve(id.value());
    this.smtpPort = smtpPort;
    this.settings = s;
  }

  /** Creates every device's key under {@code root} and makes all of them trust each other. */
  static void pairAll(Path root, List<DeviceId> order) throws IOException {
    for (DeviceId a : order) {
      DeviceKeys k = DeviceKeys.loadOrCreate(root.resolve(a.value()), a);
      for (DeviceId b : order) {
        if (!a.equals(b)) {
          PairingStore.open(root.resolve(b.value()).resolve("peers.json"))
              .trust(a, k.publicKeyBase64());
        }
      }
    }
  }

  SpoolDevice start(String brokerUrl) throws IOException {
    Spool s = Spool.open(data.resolve("spool"));
    spool = s;
    Coordinator.Builder b =
        Coordinator.builder()
            .device(id)
            .order(order)
            .dataDir(data)
            .broker(
                LinkSettings.builder()
                    .brokerUrl(brokerUrl)
                    .device(id)
                    .role(order.indexOf(id) == 0 ? "host" : "secondary")
                    .dataDir(data)
                    .keepAlive(Duration.ofSeconds(2))
                    .connectTimeout(Duration.ofSeconds(2))
                    .build())
            .spool(s)
            .listener(events)
            .settings(settings);
    SendPath p = path;
    if (p != null) {
      b.path(p);
    } else {
      b.sender(
          SmtpSender.create(
              SmtpSettings.builder()
                  .host("127.0.0.1")
                  .port(smtpPort)
                  .tls(SmtpSettings.TlsMode.NONE)
                  .connectTimeout(connectTimeout)
                  .readTimeout(readTimeout)
                  .writeTimeout(Duration.ofSeconds(3))
                  .build()));
    }
    TwinpathListener x = extra;
    if (x != null) {
      b.listener(x);
    }
    coordinator = b.build().start();
    return this;
  }

  Coordinator c() {
    Coordinator c = coordinator;
    if (c == null) {
      throw new IllegalStateException(id + " is not running");
    }
    return c;
  }

  Spool spool() {
    Spool s = spool;
    if (s == null) {
      throw new IllegalStateException(id + " has no spool open");
    }
    return s;
  }

  void stop(boolean crash) throws IOException {
    Coordinator c = coordinator;
    if (c != null) {
      if (crash) {
        c.crash();
      } else {
        c.close();
      }
    }
    Spool s = spool;
    if (s != null) {
      s.close();
    }
    coordinator = null;
    spool = null;
  }

  OutboundItem queue(byte[] message, String... recipients) throws IOException {
    return spool()
        .enqueue(
            Envelope.of("me@example.org", List.of(recipients)),
            new ByteArrayInputStream(message),
            Instant.now().plus(Duration.ofHours(1)),
            id);
  }
}
