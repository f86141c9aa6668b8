package io.twinpath.core.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import java.time.Instant;

/**
 * A verified command: who sent it, to whom, its sequence number and time, its type and its JSON
 * body (the whole signed object, including the header fields). Produced only by {@link
 * CommandCodec#open(byte[])}, so holding one means the signature and sequence were checked.
 */
public final class Command {
  private final String type;
  private final DeviceId from;
  private final DeviceId to;
  private final long seq;
  private final Instant sentAt;
  private final JsonObject body;
  private final byte[] data;

  Command(
      String type,
      DeviceId from,
      DeviceId to,
      long seq,
      Instant sentAt,
      JsonObject body,
      byte[] data) {
    this.type = type;
    this.from = from;
    this.to = to;
    this.seq = seq;
    this.sentAt = sentAt;
    this.body = body;
    this.data = data;
  }

  /**
   * The raw bytes signed with the body (binary frame, e.g. a copy chunk's data); empty for a JSON
   * command. The array is the command's own: do not change it.
   */
  public byte[] data() {
    return data;
  }

  public String type() {
    return type;
  }

  public DeviceId from() {
    return from;
  }

  public DeviceId to() {
    return to;
  }

  public long seq() {
    return seq;
  }

  /** The sender's clock when it signed; informational (device clocks may be wrong). */
  public Instant sentAt() {
    return sentAt;
  }

  /** A defensive copy of the signed JSON body. */
  public JsonObject body() {
    return body.deepCopy();
  }

  /** A string field of the body. */
  public String string(String name) throws MalformedCommandException {
    JsonElement e = body.get(name);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new MalformedCommandException(
          "the " + type + " command has no string field '" + name + "'");
    }
    return e.getAsString();
  }

  /** A whole-number field of the body. */
  public long number(String name) throws MalformedCommandException {
    JsonElement e = body.get(name);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new MalformedCommandException(
          "the " + type + " command has no number field '" + name + "'");
    }
    try {
      return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
    } catch (ArithmeticException ex) {
      throw new MalformedCommandException(
          "the " + type + " command's field '" + name + "' is not a whole number");
    }
  }

  @Override
  public String toString() {
    return type + " #" + seq + " " + from + "->" + to;
  }
}
