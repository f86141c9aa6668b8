package io.twinpath.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.DeviceKeys;
import io.twinpath.core.wire.PairingStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Pairing persists the host's key where the engine reads it, after a fingerprint check. */
class PairCommandTest {
  @TempDir Path dir;

  private String[] run(String... args) {
    CommandLine cl = TwinpathDongle.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--set";
    all[args.length + 1] = "data.dir=" + dir.resolve("dongle");
    int code = cl.execute(all);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void showsItsKeyTrustsTheHostAndForgetsIt() throws Exception {
    DeviceKeys laptop = DeviceKeys.loadOrCreate(dir.resolve("laptop"), DeviceId.of("laptop"));
    String[] show = run("pair");
    assertThat(show[0]).isEqualTo("0");
    DeviceKeys mine = DeviceKeys.loadOrCreate(dir.resolve("dongle"), DeviceId.of("dongle"));
    assertThat(show[1])
        .contains("fingerprint " + mine.fingerprint())
        .contains("public key  " + mine.publicKeyBase64())
        .contains("paired peers: none");

    String[] wrong =
        run("pair", "laptop", laptop.publicKeyBase64(), "--fingerprint", "AAAA-BBBB-CCCC-DDDD");
    assertThat(wrong[0]).isEqualTo("65");
    assertThat(wrong[2]).contains("Nothing was trusted");
    assertThat(PairingStore.open(dir.resolve("dongle/peers.json")).isTrusted(DeviceId.of("laptop")))
        .isFalse();

    String[] ok =
        run("pair", "laptop", laptop.publicKeyBase64(), "--fingerprint", laptop.fingerprint());
    assertThat(ok[0]).as(ok[2]).isEqualTo("0");
    assertThat(ok[1]).contains("paired with laptop: fingerprint " + laptop.fingerprint());
    assertThat(
            PairingStore.open(dir.resolve("dongle/peers.json")).fingerprint(DeviceId.of("laptop")))
        .contains(laptop.fingerprint());

    String[] forget = run("pair", "--forget", "laptop");
    assertThat(forget[0]).isEqualTo("0");
    assertThat(PairingStore.open(dir.resolve("dongle/peers.json")).isTrusted(DeviceId.of("laptop")))
        .isFalse();
  }
}
