package io.twinpath.dongle.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.Fingerprint;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.dongle.DongleConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code twinpath-dongle pair}: shows this device's key and fingerprint, trusts a host's key after
 * the fingerprints were compared, or forgets a peer. Keys and the pairing store live in the data
 * directory, where the engine reads them.
 */
public final class Pairing {
  /** Exit statuses (sysexits). */
  public static final int OK = 0;

  public static final int USAGE = 64;
  public static final int DATAERR = 65;
  public static final int CANTCREAT = 73;

  private Pairing() {}

  public static int run(
      DongleConfig c,
      @Nullable String peer,
      @Nullable String key,
      @Nullable String fingerprint,
      @Nullable String forget,
      PrintWriter out,
      PrintWriter err) {
    try {
      Files.createDirectories(c.dataDir());
      DeviceKeys keys = DeviceKeys.loadOrCreate(c.dataDir(), c.device());
      PairingStore store = PairingStore.open(c.dataDir().resolve("peers.json"));
      if (forget != null) {
        DeviceId p = DeviceId.of(forget);
        if (!store.isTrusted(p)) {
          err.println("twinpath-dongle: " + p + " is not paired");
          return DATAERR;
        }
        store.forget(p);
        out.println("forgot " + p + "; its commands are refused from now on" + restartNote());
        return OK;
      }
      if (peer != null) {
        if (key == null) {
          err.println(
              "twinpath-dongle: pair "
                  + peer
                  + " needs the host's public key too: twinpath-dongle pair PEER KEY");
          return USAGE;
        }
        DeviceId p = DeviceId.of(peer);
        if (p.equals(c.device())) {
          err.println("twinpath-dongle: " + p + " is this device; give the host's id");
          return USAGE;
        }
        byte[] encoded;
        try {
          encoded = Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
          err.println(
              "twinpath-dongle: the key is not base64; copy it exactly as"
                  + " 'twinpath-host pair' prints it. Nothing was trusted.");
          return DATAERR;
        }
        String fp = Fingerprint.of(encoded);
        if (fingerprint != null && !normalise(fingerprint).equals(normalise(fp))) {
          err.println(
              "twinpath-dongle: the key's fingerprint is "
                  + fp
                  + ", not "
                  + fingerprint
                  + "; the key was mistyped or is not the host's. Nothing was trusted.");
          return DATAERR;
        }
        store.trust(p, key);
        out.println("paired with " + p + ": fingerprint " + fp);
        out.println("check that " + p + " shows the same fingerprint" + restartNote());
        if (!c.peers().contains(p)) {
          out.println(
              "note: "
                  + p
                  + " is not in 'peers' in the dongle config, so no turn passes to it; add it"
                  + " there");
        }
        return OK;
      }
      out.println("this device: " + c.device());
      out.println("  fingerprint " + keys.fingerprint());
      out.println("  public key  " + keys.publicKeyBase64());
      Map<DeviceId, String> paired = store.fingerprints();
      out.println(paired.isEmpty() ? "paired peers: none" : "paired peers:");
      for (Map.Entry<DeviceId, String> e : paired.entrySet()) {
        out.println("  " + e.getKey() + "  " + e.getValue());
      }
      out.println(
          "to pair: on the laptop run 'twinpath-host pair "
              + c.device()
              + " "
              + keys.publicKeyBase64()
              + "', here run 'twinpath-dongle pair laptop LAPTOP_KEY', and compare the"
              + " fingerprints both sides show");
      return OK;
    } catch (IllegalArgumentException e) {
      err.println("twinpath-dongle: " + e.getMessage());
      return DATAERR;
    } catch (IOException e) {
      err.println("twinpath-dongle: " + e.getMessage());
      return CANTCREAT;
    }
  }

  private static String restartNote() {
    return "; restart a running dongle (systemctl restart twinpath-dongle) to use it";
  }

  private static String normalise(String fp) {
    return fp.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
  }
}
