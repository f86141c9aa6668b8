package io.twinpath.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandCodecTest {
  private static final DeviceId HOST = DeviceId.of("laptop");
  private static final DeviceId DONGLE = DeviceId.of("dongle");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private CommandCodec host;
  private CommandCodec dongle;
  private DeviceKeys hostKeys;

  @BeforeEach
  void pair() throws Exception {
    hostKeys = DeviceKeys.loadOrCreate(dir.resolve("h"), HOST);
    DeviceKeys dongleKeys = DeviceKeys.loadOrCreate(dir.resolve("d"), DONGLE);
    host = codec(dir.resolve("h"), hostKeys);
    dongle = codec(dir.resolve("d"), dongleKeys);
    PairingStore.open(dir.resolve("h/peers.json")).trust(DONGLE, dongleKeys.publicKeyBase64());
    PairingStore.open(dir.resolve("d/peers.json")).trust(HOST, hostKeys.publicKeyBase64());
    host = codec(dir.resolve("h"), hostKeys);
    dongle = codec(dir.resolve("d"), dongleKeys);
  }

  private static CommandCodec codec(Path d, DeviceKeys keys) throws Exception {
    return new CommandCodec(
        keys,
        SequenceCounter.open(d.resolve("seq")),
        PairingStore.open(d.resolve("peers.json")),
        ReplayGuard.open(d.resolve("replay.json")),
        CLOCK);
  }

  private static JsonObject fields() {
    JsonObject f = new JsonObject();
    f.addProperty("item", "01JDQ4Z8X3K2M7N9P0QRSTVWXY");
    f.addProperty("epoch", 7);
    return f;
  }

  @Test
  void aSealedCommandOpensWithEveryHeaderField() throws Exception {
    byte[] wire = host.seal("turn", DONGLE, fields());
    Command c = dongle.open(wire);
    assertThat(c.type()).isEqualTo("turn");
    assertThat(c.from()).isEqualTo(HOST);
    assertThat(c.to()).isEqualTo(DONGLE);
    assertThat(c.seq()).isPositive();
    assertThat(c.sentAt()).isEqualTo(CLOCK.instant());
    assertThat(c.number("epoch")).isEqualTo(7);
    assertThat(c.string("item")).isEqualTo("01JDQ4Z8X3K2M7N9P0QRSTVWXY");
  }

  @Test
  void replaysAreRefusedEvenAfterARestart() throws Exception {
    byte[] first = host.seal("turn", DONGLE, fields());
    byte[] second = host.seal("turn", DONGLE, fields());
    dongle.open(first);
    dongle.open(second);
    assertThatThrownBy(() -> dongle.open(first))
        .isInstanceOf(RejectedCommandException.class)
        .hasMessageContaining("replay");
    CommandCodec restarted =
        codec(dir.resolve("d"), DeviceKeys.loadOrCreate(dir.resolve("d"), DONGLE));
    assertThatThrownBy(() -> restarted.open(second)).hasMessageContaining("replay");
    // the sender's numbers keep rising across its own restart
    CommandCodec hostAgain =
        codec(dir.resolve("h"), DeviceKeys.loadOrCreate(dir.resolve("h"), HOST));
    assertThat(restarted.open(hostAgain.seal("turn", DONGLE, fields())).seq())
        .isGreaterThan(SequenceCounter.BLOCK);
  }

  @Test
  void unknownSendersAreRefused() throws Exception {
    DeviceKeys stranger = DeviceKeys.loadOrCreate(dir.resolve("s"), DeviceId.of("stranger"));
    CommandCodec s = codec(dir.resolve("s"), stranger);
    assertThatThrownBy(() -> dongle.open(s.seal("turn", DONGLE, fields())))
        .isInstanceOf(RejectedCommandException.class)
        .hasMessage("the sender stranger is not paired");
  }

  @Test
  void aKeyPretendingToBeThePairedHostIsRefused() throws Exception {
    // another key pair under the host's name: the signature does not match the paired key
    DeviceKeys impostor = DeviceKeys.loadOrCreate(dir.resolve("i"), HOST);
    CommandCodec i = codec(dir.resolve("i"), impostor);
    assertThatThrownBy(() -> dongle.open(i.seal("turn", DONGLE, fields())))
        .hasMessage("the signature does not match laptop's paired key");
  }

  @Test
  void aTamperedBodyIsRefused() throws Exception {
    JsonObject outer =
        Json.object(new String(host.seal("turn", DONGLE, fields()), StandardCharsets.UTF_8));
    String body =
        new String(
                Base64.getDecoder().decode(outer.get("body").getAsString()), StandardCharsets.UTF_8)
            .replace("\"epoch\":7", "\"epoch\":9");
    outer.addProperty(
        "body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> dongle.open(outer.toString().getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("signature does not match");
  }

  @Test
  void unsignedAndMalformedPayloadsAreRefusedWithAReason() {
    assertThatThrownBy(
            () ->
                dongle.open(
                    "{\"from\":\"laptop\",\"body\":\"e30=\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("unsigned");
    assertThatThrownBy(() -> dongle.open("not json at all".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> dongle.open("{}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("names no sender");
    assertThatThrownBy(() -> dongle.open("{\"from\":\"Bad Id\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a valid device id");
    assertThatThrownBy(() -> dongle.open(new byte[CommandCodec.MAX_PAYLOAD + 1]))
        .hasMessageContaining("at most");
  }

  @Test
  void aSignedButMalformedBodyIsRefused() {
    byte[] body =
        "{\"v\":1,\"type\":\"turn\",\"from\":\"laptop\"}".getBytes(StandardCharsets.UTF_8);
    byte[] wire = CommandCodec.wrap("laptop", body, hostKeys.sign(body));
    assertThatThrownBy(() -> dongle.open(wire)).hasMessageContaining("no string 'to'");
    byte[] v2 = "{\"v\":2}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> dongle.open(CommandCodec.wrap("laptop", v2, hostKeys.sign(v2))))
        .hasMessageContaining("version 2 is not supported");
  }

  @Test
  void aCommandForAnotherDeviceIsRefused() throws Exception {
    byte[] toHost = dongle.seal("turn", HOST, fields());
    // the dongle cannot open its own command addressed to the host: wrong sender and recipient
    assertThatThrownBy(() -> dongle.open(toHost)).isInstanceOf(RejectedCommandException.class);
    byte[] forOther = host.seal("turn", DeviceId.of("gateway"), fields());
    assertThatThrownBy(() -> dongle.open(forOther))
        .hasMessage("the command is addressed to gateway, not to dongle");
  }

  @Test
  void headerNamesCannotBeOverriddenByFields() {
    JsonObject f = new JsonObject();
    f.addProperty("seq", 1);
    assertThatThrownBy(() -> host.seal("turn", DONGLE, f))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBinaryFrameCarriesRawBytesUnderTheSignature() throws Exception {
    byte[] data = new byte[40_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    byte[] wire = host.seal("copy.chunk", DONGLE, fields(), data);
    assertThat(wire.length).isLessThan(data.length + 400); // no base64
    Command c = dongle.open(wire);
    assertThat(c.type()).isEqualTo("copy.chunk");
    assertThat(c.from()).isEqualTo(HOST);
    assertThat(c.number("epoch")).isEqualTo(7);
    assertThat(c.data()).isEqualTo(data);
    assertThatThrownBy(() -> dongle.open(wire))
        .isInstanceOf(RejectedCommandException.class)
        .hasMessageContaining("replay");
    assertThat(dongle.open(host.seal("turn", DONGLE, fields())).data()).isEmpty();
  }

  @Test
  void aBinaryFrameWithAnyByteChangedIsRefused() throws Exception {
    byte[] data = "some bytes of a message".getBytes(StandardCharsets.US_ASCII);
    byte[] wire = host.seal("copy.chunk", DONGLE, fields(), data);
    // a flipped bit in the header, the body, the data or the signature
    for (int at : new int[] {9, 20, wire.length - 64 - 3, wire.length - 1}) {
      byte[] bad = wire.clone();
      bad[at] ^= 1;
      assertThatThrownBy(() -> dongle.open(bad))
          .as("byte %d changed", at)
          .isInstanceOf(RejectedCommandException.class);
    }
    byte[] truncated = java.util.Arrays.copyOf(wire, 30);
    assertThatThrownBy(() -> dongle.open(truncated))
        .isInstanceOf(RejectedCommandException.class)
        .hasMessageContaining("binary");
    // the untouched frame is still accepted: nothing above consumed its sequence number
    assertThat(dongle.open(wire).data()).isEqualTo(data);
  }
}
