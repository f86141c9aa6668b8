package io.twinpath.core.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
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

  private static final byte[] BINARY_MAGIC = {'T', 'B'};
  private static final int BINARY_VERSION = 1;
  private static final byte[] NO_DATA = new byte[0];

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
    byte[] bodyBytes = body(type, to, fields);
    return wrap(keys.device().value(), bodyBytes, keys.sign(bodyBytes));
  }

  /**
   * Like {@link #seal(String, DeviceId, JsonObject)} with raw bytes attached ({@code data}): the
   * binary frame, whose signature covers the header, the body and the data's SHA-256, so bulk bytes
   * travel as they are, without base64.
   */
  public byte[] seal(String type, DeviceId to, JsonObject fields, byte[] data) {
    byte[] bodyBytes = body(type, to, fields);
    byte[] from = keys.device().value().getBytes(StandardCharsets.US_ASCII);
    int head = 4 + from.length + 4 + bodyBytes.length;
    ByteBuffer b = ByteBuffer.allocate(head + data.length + DeviceKeys.SIGNATURE_BYTES);
    b.put(BINARY_MAGIC).put((byte) BINARY_VERSION).put((byte) from.length).put(from);
    b.putInt(bodyBytes.length).put(bodyBytes).put(data);
    byte[] frame = b.array();
    b.put(keys.sign(signedBytes(frame, head, data, 0, data.length)));
    return frame;
  }

  /** What a binary frame's signature covers: its header and body, then the data's SHA-256. */
  private static byte[] signedBytes(byte[] frame, int head, byte[] data, int off, int len) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    sha.update(data, off, len);
    byte[] out = Arrays.copyOf(frame, head + 32);
    System.arraycopy(sha.digest(), 0, out, head, 32);
    return out;
  }

  private byte[] body(String type, DeviceId to, JsonObject fields) {
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
    return body.toString().getBytes(StandardCharsets.UTF_8);
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
    if (payload.length >= 2 && payload[0] == BINARY_MAGIC[0] && payload[1] == BINARY_MAGIC[1]) {
      return openBinary(payload);
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
    return verified(claimed, sender, bodyBytes, NO_DATA);
  }

  /**
   * The binary frame: {@code 'T' 'B'}, version 1, the sender's id length (1 byte) and id (ASCII),
   * the body's length (4 bytes, big-endian) and body, the data, and the 64-byte Ed25519 signature
   * over the bytes before the data followed by the data's SHA-256 (hash, then sign: the bulk bytes
   * are hashed once by a fast digest).
   */
  private Command openBinary(byte[] p) throws RejectedCommandException {
    int min = 4 + 1 + 4 + DeviceKeys.SIGNATURE_BYTES;
    if (p.length < min || p[2] != BINARY_VERSION) {
      throw new RejectedCommandException(
          null,
          p.length < min
              ? "the binary payload is too short (" + p.length + " bytes)"
              : "binary frame version " + p[2] + " is not supported");
    }
    int idLen = p[3] & 0xff;
    int signed = p.length - DeviceKeys.SIGNATURE_BYTES;
    if (idLen < 1 || 4 + idLen + 4 > signed) {
      throw new RejectedCommandException(null, "the binary payload names no valid sender");
    }
    String claimed = new String(p, 4, idLen, StandardCharsets.US_ASCII);
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
    int at = 4 + idLen;
    int bodyLen = ByteBuffer.wrap(p, at, 4).getInt();
    at += 4;
    if (bodyLen < 0 || bodyLen > signed - at) {
      throw new RejectedCommandException(
          claimed, "the binary payload's body length " + bodyLen + " does not fit");
    }
    int head = at + bodyLen;
    byte[] covered = signedBytes(p, head, p, head, signed - head);
    if (!DeviceKeys.verify(key.get(), covered, 0, covered.length, p, signed)) {
      throw new RejectedCommandException(
          claimed, "the signature does not match " + claimed + "'s paired key");
    }
    byte[] bodyBytes = Arrays.copyOfRange(p, at, at + bodyLen);
    byte[] data = Arrays.copyOfRange(p, at + bodyLen, signed);
    return verified(claimed, sender, bodyBytes, data);
  }

  private Command verified(String claimed, DeviceId sender, byte[] bodyBytes, byte[] data)
      throws RejectedCommandException {
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
      return new Command(type, from, to, seq, ts, body, data);
    } catch (MalformedCommandException e) {
      throw new RejectedCommandException(
          claimed, Objects.requireNonNullElse(e.getMessage(), "malformed command"));
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
