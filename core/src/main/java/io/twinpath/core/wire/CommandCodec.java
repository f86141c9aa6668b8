package io.twinpath.core.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Seals commands this device sends and opens commands it receives.
 *
 * <p>On the wire a command is a JSON object {@code {"from":"<sender>","body":"<base64>",
 * "sig":"<base64>"}}. {@code body} is the UTF-8 JSON of the command: {@code {"v":1,"type":...,
 * "from":...,"to":...,"seq":...,"ts":...,<fields>}}; {@code sig} is the sender's Ed25519 signature
 * over exactly the bytes of {@code body} after base64 decoding. Nothing outside {@code body} is
 * trusted: the outer {@code from} only selects the key to verify with, and must equal the inner
 * one.
 *
 * <p>{@link #open(byte[])} refuses, in this order: payloads larger than {@link #MAX_PAYLOAD},
 * payloads that are not such an object, unknown senders, bad signatures, bodies that are not valid
 * commands, commands addressed to another device, and replays ({@code seq} not above the highest
 * accepted from that sender, persisted).
 */
public final class CommandCodec {
  /** Protocol version in every body. */
  public static final int VERSION = 1;

  /** The largest payload accepted (a 256 KiB chunk in base64 plus its header fits). */
  public static final int MAX_PAYLOAD = 512 * 1024;

  private static final Set<String> RESERVED = Set.of("v", "type", "from", "to", "seq", "ts");

  private final DeviceKeys keys;
  private final SequenceCounter sequence;
  private final PairingStore peers;
  private final ReplayGuard replay;
  private final Clock clock;

  public CommandCodec(
      DeviceKeys keys,
      SequenceCounter sequence,
      PairingStore peers,
      ReplayGuard replay,
      Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.sequence = Objects.requireNonNull(sequence, "sequence");
    this.peers = Objects.requireNonNull(peers, "peers");
    this.replay = Objects.requireNonNull(replay, "replay");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public DeviceId self() {
    return keys.device();
  }

  /**
   * Signs a command of {@code type} to {@code to} with {@code fields} (which must not use the
   * header names) under the next sequence number, and returns the wire payload.
   */
  public byte[] seal(String type, DeviceId to, JsonObject fields) {
    JsonObject body = new JsonObject();
    body.addProperty("v", VERSION);
    body.addProperty("type", type);
    body.addProperty("from", keys.device().value());
    body.addProperty("to", to.value());
    try {
      body.addProperty("seq", sequence.next());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reserve a command sequence number", e);
    }
    body.addProperty("ts", clock.instant().toString());
    for (var e : fields.entrySet()) {
      if (RESERVED.contains(e.getKey())) {
        throw new IllegalArgumentException("field '" + e.getKey() + "' is a header name");
      }
      body.add(e.getKey(), e.getValue());
    }
    byte[] bodyBytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return wrap(keys.device().value(), bodyBytes, keys.sign(bodyBytes));
  }

  /** The outer object around signed body bytes (also used by tests to forge payloads). */
  public static byte[] wrap(String from, byte[] bodyBytes, byte[] signature) {
    JsonObject outer = new JsonObject();
    outer.addProperty("from", from);
    outer.addProperty("body", Base64.getEncoder().encodeToString(bodyBytes));
    outer.addProperty("sig", Base64.getEncoder().encodeToString(signature));
    return outer.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Verifies a payload received on this device's inbox and records its sequence number.
   *
   * @throws RejectedCommandException saying in one sentence why it was refused
   */
  public Command open(byte[] payload) throws RejectedCommandException {
    if (payload.length > MAX_PAYLOAD) {
      throw new RejectedCommandException(
          null,
          "the payload has " + payload.length + " bytes; at most " + MAX_PAYLOAD + " are accepted");
    }
    JsonObject outer;
    try {
      outer = Json.object(new String(payload, StandardCharsets.UTF_8));
    } catch (MalformedCommandException e) {
      throw new RejectedCommandException(null, "the payload is not a JSON object");
    }
    String claimed = stringOrNull(outer, "from");
    if (claimed == null) {
      throw new RejectedCommandException(null, "the payload names no sender ('from')");
    }
    DeviceId sender;
    try {
      sender = DeviceId.of(claimed);
    } catch (IllegalArgumentException e) {
      throw new RejectedCommandException(null, "the payload's sender is not a valid device id");
    }
    Optional<PublicKey> key = peers.key(sender);
    if (key.isEmpty()) {
      throw new RejectedCommandException(claimed, "the sender " + claimed + " is not paired");
    }
    String bodyText = stringOrNull(outer, "body");
    String sigText = stringOrNull(outer, "sig");
    if (bodyText == null || sigText == null) {
      throw new RejectedCommandException(claimed, "the payload is unsigned (no 'body' or 'sig')");
    }
    byte[] bodyBytes;
    byte[] sig;
    try {
      bodyBytes = Base64.getDecoder().decode(bodyText);
      sig = Base64.getDecoder().decode(sigText);
    } catch (IllegalArgumentException e) {
      throw new RejectedCommandException(claimed, "the body or signature is not valid base64");
    }
    if (!DeviceKeys.verify(key.get(), bodyBytes, sig)) {
      throw new RejectedCommandException(
          claimed, "the signature does not match " + claimed + "'s paired key");
    }
    JsonObject body;
    try {
      body = Json.object(new String(bodyBytes, StandardCharsets.UTF_8));
    } catch (MalformedCommandException e) {
      throw new RejectedCommandException(claimed, "the signed body is not a JSON object");
    }
    try {
      long v = longOrThrow(body, "v");
      if (v != VERSION) {
        throw new RejectedCommandException(
            claimed,
            "protocol version " + v + " is not supported (this device speaks " + VERSION + ")");
      }
      String type = stringOrThrow(body, "type");
      DeviceId from = DeviceId.of(stringOrThrow(body, "from"));
      if (!from.equals(sender)) {
        throw new RejectedCommandException(
            claimed, "the signed sender " + from + " differs from the outer sender " + claimed);
      }
      DeviceId to = DeviceId.of(stringOrThrow(body, "to"));
      if (!to.equals(keys.device())) {
        throw new RejectedCommandException(
            claimed, "the command is addressed to " + to + ", not to " + keys.device());
      }
      long seq = longOrThrow(body, "seq");
      Instant ts = Instant.parse(stringOrThrow(body, "ts"));
      long last = replay.lastSeen(sender);
      if (!replay.accept(sender, seq)) {
        throw new RejectedCommandException(
            claimed,
            "sequence "
                + seq
                + " from "
                + claimed
                + " is a replay (highest accepted is "
                + last
                + ")");
      }
      return new Command(type, from, to, seq, ts, body);
    } catch (MalformedCommandException e) {
      throw new RejectedCommandException(claimed, e.getMessage());
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new RejectedCommandException(
          claimed, "the signed header is malformed: " + e.getMessage());
    } catch (IOException e) {
      throw new RejectedCommandException(
          claimed, "the replay record could not be saved (" + e.getMessage() + ")");
    }
  }

  private static @Nullable String stringOrNull(JsonObject o, String name) {
    return Json.string(o, name);
  }

  private static String stringOrThrow(JsonObject o, String name) throws MalformedCommandException {
    String s = stringOrNull(o, name);
    if (s == null) {
      throw new MalformedCommandException("the signed body has no string '" + name + "'");
    }
    return s;
  }

  private static long longOrThrow(JsonObject o, String name) throws MalformedCommandException {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new MalformedCommandException("the signed body has no number '" + name + "'");
    }
    try {
      return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
    } catch (ArithmeticException ex) {
      throw new MalformedCommandException("the signed field '" + name + "' is not a whole number");
    }
  }
}
