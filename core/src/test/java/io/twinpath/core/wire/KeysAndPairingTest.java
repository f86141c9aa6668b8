package io.twinpath.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinpath.core.DeviceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysAndPairingTest {
  @TempDir Path dir;

  @Test
  void theKeyIsCreatedOnceOwnerOnlyAndReloaded() throws Exception {
    DeviceKeys a = DeviceKeys.loadOrCreate(dir, DeviceId.of("laptop"));
    DeviceKeys b = DeviceKeys.loadOrCreate(dir, DeviceId.of("laptop"));
    assertThat(b.publicKeyBase64()).isEqualTo(a.publicKeyBase64());
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint()).matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){3}");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("device.key"))))
        .isEqualTo("rw-------");
    assertThat(a.toString()).doesNotContain(a.publicKeyBase64()).contains(a.fingerprint());
  }

  @Test
  void aDamagedKeyFileSaysWhatToDo() throws Exception {
    DeviceKeys.loadOrCreate(dir, DeviceId.of("laptop"));
    Files.writeString(dir.resolve("device.key"), "garbage");
    assertThatThrownBy(() -> DeviceKeys.loadOrCreate(dir, DeviceId.of("laptop")))
        .hasMessageContaining("not a valid Ed25519 key pair");
  }

  @Test
  void fingerprintsAreTheFirstTenBytesOfTheSha256InBase32() {
    // SHA-256("abc") = ba7816bf 8f01cfea 4141 ...; base32 of ba7816bf8f01cfea4141 =
    // XJ4BNP4PAHH6UQKB
    assertThat(Fingerprint.of("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEqualTo("XJ4B-NP4P-AHH6-UQKB");
  }

  @Test
  void pairingsPersistAndShowTheSameFingerprint() throws Exception {
    DeviceKeys dongle = DeviceKeys.loadOrCreate(dir.resolve("d"), DeviceId.of("dongle"));
    PairingStore store = PairingStore.open(dir.resolve("peers.json"));
    String shown = store.trust(DeviceId.of("dongle"), dongle.publicKeyBase64());
    assertThat(shown).isEqualTo(dongle.fingerprint());
    PairingStore reopened = PairingStore.open(dir.resolve("peers.json"));
    assertThat(reopened.isTrusted(DeviceId.of("dongle"))).isTrue();
    assertThat(reopened.fingerprints()).containsEntry(DeviceId.of("dongle"), dongle.fingerprint());
    reopened.forget(DeviceId.of("dongle"));
    assertThat(PairingStore.open(dir.resolve("peers.json")).isTrusted(DeviceId.of("dongle")))
        .isFalse();
  }

  @Test
  void aKeyThatIsNotEd25519IsRefused() throws Exception {
    PairingStore store = PairingStore.open(dir.resolve("peers.json"));
    assertThatThrownBy(() -> store.trust(DeviceId.of("dongle"), "AAAA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an Ed25519 public key");
  }

  @Test
  void aPairingMadeByAnotherProcessTakesEffectWithoutReopening() throws Exception {
    DeviceKeys dongle = DeviceKeys.loadOrCreate(dir.resolve("d"), DeviceId.of("dongle"));
    DeviceKeys kura = DeviceKeys.loadOrCreate(dir.resolve("k"), DeviceId.of("kura"));
    PairingStore daemon = PairingStore.open(dir.resolve("peers.json"));
    assertThat(daemon.key(DeviceId.of("dongle"))).isEmpty();

    PairingStore command = PairingStore.open(dir.resolve("peers.json"));
    command.trust(DeviceId.of("dongle"), dongle.publicKeyBase64());
    assertThat(daemon.key(DeviceId.of("dongle"))).isPresent();
    // the daemon's own change keeps the other process's pairing
    daemon.trust(DeviceId.of("kura"), kura.publicKeyBase64());
    assertThat(PairingStore.open(dir.resolve("peers.json")).fingerprints())
        .containsOnlyKeys(DeviceId.of("dongle"), DeviceId.of("kura"));

    PairingStore.open(dir.resolve("peers.json")).forget(DeviceId.of("dongle"));
    assertThat(daemon.key(DeviceId.of("dongle"))).isEmpty();
    assertThat(daemon.isTrusted(DeviceId.of("kura"))).isTrue();

    // a damaged file changes nothing: the keys known before stay trusted
    Files.writeString(dir.resolve("peers.json"), "{ not json");
    assertThat(daemon.isTrusted(DeviceId.of("kura"))).isTrue();
  }
}
