package io.twinpath.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.twinpath.testing.MosquittoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded retention of known ids between a host and a secondary over a real Mosquitto and signed
 * commands: only ids older than the retention that the peer had at the last reconciliation are
 * forgotten, on both sides, and the sets stay equal.
 */
class InboundRetentionIT {
  @RegisterExtension static MosquittoExtension mqtt = new MosquittoExtension();

  @TempDir Path dir;
  private final List<TestDevice> devices = new ArrayList<>();
  private final InboundStoreTest.MutableClock clock =
      new InboundStoreTest.MutableClock(Instant.parse("2026-09-01T08:00:00Z"));

  @AfterEach
  void stop() throws Exception {
    for (TestDevice d : devices) {
      d.close();
    }
  }

  private TestDevice device(String name, boolean host) throws Exception {
    TestDevice d = new TestDevice(name, dir.resolve(name), host, 10_000_000, clock);
    devices.add(d);
    return d;
  }

  private static List<InboundId> ids(int from, int to) {
    List<InboundId> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(InboundId.of(1000 + i));
    }
    return out;
  }

  @Test
  void oldIdsBothSidesHadAreForgottenOnBothAndTheSetsStayEqual() throws Exception {
    TestDevice host = device("laptop", true);
    TestDevice dongle = device("dongle", false);
    host.pairWith(dongle);
    host.goOnline(mqtt.url());
    dongle.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> host.connected() && dongle.connected());

    host.store.markKnown(ids(1, 5));
    dongle.store.markKnown(ids(1, 4)); // the dongle lacks 5 until the reconciliation
    Duration retention = Duration.ofDays(30);
    assertThat(host.sync().prune(retention, List.of(dongle.id)))
        .as("no reconciliation with the dongle yet: nothing is forgotten")
        .isZero();

    clock.advance(Duration.ofHours(1));
    ReconcileResult r = host.sync().reconcileWith(dongle.id).get();
    assertThat(r.succeeded()).isTrue();
    assertThat(r.missingThere()).containsExactly(InboundId.of(1005));
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.ids().size() == 5);

    clock.advance(Duration.ofDays(40));
    host.store.markKnown(ids(6, 6));
    dongle.store.markKnown(ids(6, 6));
    assertThat(host.sync().prune(retention, List.of(dongle.id))).isEqualTo(5);
    assertThat(host.store.ids().ids()).containsExactly(InboundId.of(1006));
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.ids().size() == 1);
    assertThat(dongle.store.knows(InboundId.of(1006))).isTrue();

    ReconcileResult again = host.sync().reconcileWith(dongle.id).get();
    assertThat(again.succeeded()).isTrue();
    assertThat(again.missingHere()).isEmpty();
    assertThat(again.missingThere()).isEmpty();
    assertThat(host.rejected.get() + dongle.rejected.get()).isZero();
  }

  @Test
  void idsTheLastReconciliationDidNotCoverAreKeptAndAnOfflinePeerForgetsOnItsReturn()
      throws Exception {
    TestDevice host = device("laptop", true);
    TestDevice dongle = device("dongle", false);
    host.pairWith(dongle);
    host.goOnline(mqtt.url());
    dongle.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> host.connected() && dongle.connected());

    host.store.markKnown(ids(1, 3));
    dongle.store.markKnown(ids(1, 3));
    clock.advance(Duration.ofHours(1));
    assertThat(host.sync().reconcileWith(dongle.id).get().succeeded()).isTrue();
    clock.advance(Duration.ofHours(1));
    // learned after that reconciliation: the dongle may not have it, so it must stay
    host.store.markKnown(ids(4, 4));
    clock.advance(Duration.ofDays(40));

    dongle.goOffline();
    assertThat(host.sync().prune(Duration.ofDays(30), List.of(dongle.id))).isEqualTo(3);
    assertThat(host.store.ids().ids()).containsExactly(InboundId.of(1004));
    // the broker keeps the command for the offline dongle
    dongle.goOnline(mqtt.url());
    await().atMost(Duration.ofSeconds(10)).until(() -> dongle.store.ids().size() == 0);
    ReconcileResult r = host.sync().reconcileWith(dongle.id).get();
    assertThat(r.succeeded()).isTrue();
    assertThat(r.missingHere()).isEmpty();
    assertThat(r.missingThere()).containsExactly(InboundId.of(1004));
  }
}
