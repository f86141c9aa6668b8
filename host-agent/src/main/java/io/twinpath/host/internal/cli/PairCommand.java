package io.twinpath.host.internal.cli;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.PairingStore;
import io.twinpath.host.internal.config.ConfigException;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.queue.HostAccess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code twinpath-host pair}: shows this device's public key and fingerprint, trusts a peer's key,
 * or forgets a peer. Both people compare the fingerprints before trusting.
 */
@Command(
    name = "pair",
    description = {
      "Without arguments: show this laptop's public key and fingerprint, and the paired peers.",
      "With PEER KEY: trust the peer's public key (compare the fingerprint on both devices)."
    })
public final class PairCommand implements Callable<Integer> {
  private final Env env;

  @Option(names = "--config", paramLabel = "FILE", description = "the config file")
  @Nullable Path config;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PEER", description = "the peer's id")
  @Nullable String peer;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "KEY",
      description = "the peer's public key (base64), as its pair command prints it")
  @Nullable String key;

  @Option(
      names = "--fingerprint",
      paramLabel = "FP",
      description = "the fingerprint the peer shows; pairing is refused when it does not match")
  @Nullable String fingerprint;

  @Option(names = "--forget", paramLabel = "PEER", description = "stop trusting a peer")
  @Nullable String forget;

  public PairCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    HostConfig c;
    try {
      c = env.config(config);
    } catch (ConfigException e) {
      env.err().println("twinpath-host: " + e.getMessage());
      return Exits.CONFIG;
    }
    PrintStream out = env.out();
    try {
      Files.createDirectories(c.dataDir());
      DeviceKeys keys = DeviceKeys.loadOrCreate(c.dataDir(), c.device());
      PairingStore store = PairingStore.open(c.dataDir().resolve("peers.json"));
      if (forget != null) {
        DeviceId p = DeviceId.of(forget);
        if (!store.isTrusted(p)) {
          env.err().println("twinpath-host: " + p + " is not paired");
          return Exits.DATAERR;
        }
        store.forget(p);
        out.println("forgot " + p + "; its commands are refused from now on" + restartNote(c));
        return Exits.OK;
      }
      if (peer != null) {
        if (key == null) {
          env.err()
              .println(
                  "twinpath-host: pair "
                      + peer
                      + " needs the peer's public key too: twinpath-host pair PEER KEY");
          return Exits.USAGE;
        }
        DeviceId p = DeviceId.of(peer);
        if (p.equals(c.device())) {
          env.err().println("twinpath-host: " + p + " is this device; give the peer's id");
          return Exits.USAGE;
        }
        String fp =
            io.twinpath.core.wire.Fingerprint.of(java.util.Base64.getDecoder().decode(key.trim()));
        if (fingerprint != null && !normalise(fingerprint).equals(normalise(fp))) {
          env.err()
              .println(
                  "twinpath-host: the key's fingerprint is "
                      + fp
                      + ", not "
                      + fingerprint
                      + "; the key was mistyped or is not the peer's. Nothing was trusted.");
          return Exits.DATAERR;
        }
        store.trust(p, key);
        out.println("paired with " + p + ": fingerprint " + fp);
        out.println("check that " + p + " shows the same fingerprint" + restartNote(c));
        if (!c.peers().contains(p)) {
          out.println(
              "note: "
                  + p
                  + " is not in 'peers' in host.conf, so no turn passes to it; add it there");
        }
        return Exits.OK;
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
          "to pair: give this public key to the peer (e.g. twinpath-dongle pair "
              + c.device()
              + " KEY), then run twinpath-host pair PEER PEER_KEY here, and compare the"
              + " fingerprints on both devices");
      return Exits.OK;
    } catch (IllegalArgumentException e) {
      env.err().println("twinpath-host: " + e.getMessage());
      return Exits.DATAERR;
    } catch (IOException e) {
      env.err().println("twinpath-host: " + e.getMessage());
      return Exits.CANTCREAT;
    }
  }

  private String restartNote(HostConfig c) {
    return new HostAccess(c, env.clock()).daemonRunning()
        ? "; restart the daemon (systemctl --user restart twinpath-host) to use it"
        : "";
  }

  private static String normalise(String fp) {
    return fp.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
  }
}
