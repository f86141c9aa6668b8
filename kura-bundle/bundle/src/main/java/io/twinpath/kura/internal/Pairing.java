package io.twinpath.kura.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.PairingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's key pair and the host keys it trusts, kept in the data directory where the engine
 * reads them ({@code device.key}, {@code peers.json}). On Kura there is no pairing command: the
 * host's key comes from the form ({@code peers.public-key}), and the gateway's own public key and
 * fingerprint are logged for the person pairing to give to the host and compare.
 */
final class Pairing {
  private static final Logger LOG = LoggerFactory.getLogger(Pairing.class);

  private Pairing() {}

  /** Creates or loads the gateway's keys and trusts the configured peer keys. */
  static DeviceKeys apply(KuraSettings settings, Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    DeviceId self = settings.device();
    DeviceKeys keys = DeviceKeys.loadOrCreate(dataDir, self);
    PairingStore store = PairingStore.open(dataDir.resolve("peers.json"));
    for (Map.Entry<DeviceId, String> e : settings.peerKeys().entrySet()) {
      String fingerprint = store.trust(e.getKey(), e.getValue());
      LOG.info(
          "Twinpath secondary {} trusts {} (key fingerprint {})", self, e.getKey(), fingerprint);
    }
    for (DeviceId peer : settings.peers()) {
      if (!store.isTrusted(peer)) {
        LOG.warn(
            "Twinpath secondary {} has no public key for {}: its commands are refused until"
                + " peers.public-key holds it",
            self,
            peer);
      }
    }
    LOG.info(
        "Twinpath secondary {} public key {} (fingerprint {}): give it to the host when pairing",
        self,
        keys.publicKeyBase64(),
        keys.fingerprint());
    return keys;
  }
}
