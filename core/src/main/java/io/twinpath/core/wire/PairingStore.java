package io.twinpath.core.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers this device trusts: device id to Ed25519 public key, in a JSON file ({@code peers.json}
 * in the data directory). Pairing is trusting a peer's public key after both people compared its
 * {@link Fingerprint}. Thread-safe.
 *
 * <p>Another process may change the file (a {@code pair} command while the daemon runs): every
 * lookup notices a changed file (its modification time, size or identity) and reads it again, so a
 * new pairing or a forgotten peer takes effect without a restart. A file changed into something
 * unreadable is reported and the keys known before are kept.
 */
public final class PairingStore {
  private final Path file;
  private final Map<DeviceId, String> keys = new TreeMap<>();
  private final Map<DeviceId, PublicKey> decoded = new TreeMap<>();

  private static final Logger LOG = LoggerFactory.getLogger(PairingStore.class);

  /** What the file looked like when last read or written: a change means another writer. */
  private @Nullable String seen;

  private PairingStore(Path file) {
    this.file = file;
  }

  private @Nullable String stamp() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "/" + a.size() + "/" + a.fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads the file again when another writer changed it since this store last saw it. */
  private void refresh() {
    String now = stamp();
    if (Objects.equals(now, seen)) {
      return;
    }
    try {
      PairingStore fresh = open(file);
      keys.clear();
      decoded.clear();
      keys.putAll(fresh.keys);
      decoded.putAll(fresh.decoded);
      seen = fresh.seen;
      LOG.info("{} changed; the trusted peers are now {}", file, keys.keySet());
    } catch (IOException e) {
      seen = now;
      LOG.warn("{}; keeping the peers trusted before: {}", e.getMessage(), keys.keySet());
    }
  }

  /**
   * Opens (or starts empty) the store in {@code file}.
   *
   * @throws IOException when the file exists but cannot be read or is not a valid store
   */
  public static PairingStore open(Path file) throws IOException {
    PairingStore store = new PairingStore(file);
    store.seen = store.stamp();
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
    refresh();
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
    refresh();
    keys.remove(peer);
    decoded.remove(peer);
    save();
  }

  public synchronized boolean isTrusted(DeviceId peer) {
    refresh();
    return keys.containsKey(peer);
  }

  /** The fingerprint of a trusted peer's key. */
  public synchronized Optional<String> fingerprint(DeviceId peer) {
    refresh();
    String k = keys.get(peer);
    return k == null
        ? Optional.empty()
        : Optional.of(Fingerprint.of(Base64.getDecoder().decode(k)));
  }

  /** Every trusted peer with its fingerprint, sorted by id. */
  public synchronized Map<DeviceId, String> fingerprints() {
    refresh();
    Map<DeviceId, String> out = new LinkedHashMap<>();
    for (DeviceId d : keys.keySet()) {
      out.put(d, fingerprint(d).orElseThrow());
    }
    return Collections.unmodifiableMap(out);
  }

  synchronized Optional<PublicKey> key(DeviceId peer) {
    refresh();
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
    seen = stamp();
  }
}
