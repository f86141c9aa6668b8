package io.twinpath.core.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The peers this device trusts: device id to Ed25519 public key, in a JSON file ({@code peers.json}
 * in the data directory). Pairing is trusting a peer's public key after both people compared its
 * {@link Fingerprint}. Thread-safe.
 */
public final class PairingStore {
  private final Path file;
  private final Map<DeviceId, String> keys = new TreeMap<>();
  private final Map<DeviceId, PublicKey> decoded = new TreeMap<>();

  private PairingStore(Path file) {
    this.file = file;
  }

  /**
   * Opens (or starts empty) the store in {@code file}.
   *
   * @throws IOException when the file exists but cannot be read or is not a valid store
   */
  public static PairingStore open(Path file) throws IOException {
    PairingStore store = new PairingStore(file);
    if (Files.exists(file)) {
      try {
        JsonObject root = Json.object(Files.readString(file));
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
          String key = e.getValue().getAsJsonObject().get("publicKey").getAsString();
          store.put(DeviceId.of(e.getKey()), key);
        }
      } catch (MalformedCommandException
          | IllegalStateException
          | NullPointerException
          | UnsupportedOperationException
          | IllegalArgumentException
          | GeneralSecurityException e) {
        throw new IOException(
            "the pairing store "
                + file
                + " is not valid ("
                + e.getMessage()
                + "); fix it or remove it and pair again",
            e);
      }
    }
    return store;
  }

  /**
   * Trusts {@code peer}'s public key (X.509, base64) and saves the store.
   *
   * @return the key's fingerprint, to show to the person pairing
   * @throws IllegalArgumentException when the key is not an Ed25519 public key
   */
  public synchronized String trust(DeviceId peer, String publicKeyBase64) throws IOException {
    try {
      put(peer, publicKeyBase64.trim());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the public key given for " + peer + " is not an Ed25519 public key in base64 X.509 form",
          e);
    }
    save();
    return fingerprint(peer).orElseThrow();
  }

  /** Forgets a peer; its commands are refused from now on. */
  public synchronized void forget(DeviceId peer) throws IOException {
    keys.remove(peer);
    decoded.remove(peer);
    save();
  }

  public synchronized boolean isTrusted(DeviceId peer) {
    return keys.containsKey(peer);
  }

  /** The fingerprint of a trusted peer's key. */
  public synchronized Optional<String> fingerprint(DeviceId peer) {
    String k = keys.get(peer);
    return k == null
        ? Optional.empty()
        : Optional.of(Fingerprint.of(Base64.getDecoder().decode(k)));
  }

  /** Every trusted peer with its fingerprint, sorted by id. */
  public synchronized Map<DeviceId, String> fingerprints() {
    Map<DeviceId, String> out = new LinkedHashMap<>();
    for (DeviceId d : keys.keySet()) {
      out.put(d, fingerprint(d).orElseThrow());
    }
    return Collections.unmodifiableMap(out);
  }

  synchronized Optional<PublicKey> key(DeviceId peer) {
    return Optional.ofNullable(decoded.get(peer));
  }

  private void put(DeviceId peer, String base64) throws GeneralSecurityException {
    PublicKey key = DeviceKeys.decodePublic(base64);
    keys.put(peer, base64);
    decoded.put(peer, key);
  }

  private void save() throws IOException {
    JsonObject root = new JsonObject();
    for (Map.Entry<DeviceId, String> e : keys.entrySet()) {
      JsonObject o = new JsonObject();
      o.addProperty("publicKey", e.getValue());
      o.addProperty("fingerprint", fingerprint(e.getKey()).orElseThrow());
      root.add(e.getKey().value(), o);
    }
    AtomicFiles.write(file, root.toString().getBytes(StandardCharsets.UTF_8), true, false);
  }
}
