package io.twinpath.core.item;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.internal.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message to send, as every device keeps it: id, envelope, times, and the size, SHA-256 and
 * Message-ID of its exact RFC 5322 bytes (the bytes themselves live in the spool). Immutable.
 */
public final class OutboundItem {
  /** The JSON layout version written by {@link #toJson()}. */
  public static final int JSON_VERSION = 1;

  private final ItemId id;
  private final Envelope envelope;
  private final Instant createdAt;
  private final Instant expiresAt;
  private final long size;
  private final String sha256;
  private final String messageId;
  private final DeviceId origin;

  private OutboundItem(
      ItemId id,
      Envelope envelope,
      Instant createdAt,
      Instant expiresAt,
      long size,
      String sha256,
      String messageId,
      DeviceId origin) {
    this.id = id;
    this.envelope = envelope;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
    this.size = size;
    this.sha256 = sha256;
    this.messageId = messageId;
    this.origin = origin;
  }

  /**
   * Validates and builds an item description.
   *
   * @param sha256 64 hex digits (either case; kept in lower case)
   * @throws IllegalArgumentException naming the bad value and what is accepted
   */
  public static OutboundItem of(
      ItemId id,
      Envelope envelope,
      Instant createdAt,
      Instant expiresAt,
      long size,
      String sha256,
      String messageId,
      DeviceId origin) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(origin, "origin");
    if (expiresAt.isBefore(createdAt)) {
      throw new IllegalArgumentException(
          "item "
              + id
              + ": expiresAt "
              + expiresAt
              + " is before createdAt "
              + createdAt
              + "; an item must expire after it is created");
    }
    if (size <= 0) {
      throw new IllegalArgumentException(
          "item " + id + ": size " + size + " is not accepted; a message has at least one byte");
    }
    String sha = sha256.toLowerCase(Locale.ROOT);
    if (!sha.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "item "
              + id
              + ": sha256 '"
              + ItemId.printable(sha256)
              + "' is not 64 hexadecimal digits");
    }
    if (messageId.isBlank() || messageId.length() > 998 || hasControl(messageId)) {
      throw new IllegalArgumentException(
          "item "
              + id
              + ": message-id '"
              + ItemId.printable(messageId)
              + "' is not accepted; it must be non-empty, one line, at most 998 characters");
    }
    return new OutboundItem(id, envelope, createdAt, expiresAt, size, sha, messageId, origin);
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  public ItemId id() {
    return id;
  }

  public Envelope envelope() {
    return envelope;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  /** Size of the exact message bytes. */
  public long size() {
    return size;
  }

  /** SHA-256 of the exact message bytes, 64 lower-case hex digits. */
  public String sha256() {
    return sha256;
  }

  /** The Message-ID field value, angle brackets included as written in the message. */
  public String messageId() {
    return messageId;
  }

  /** The device that queued the item (the host the user submitted it to). */
  public DeviceId origin() {
    return origin;
  }

  /**
   * This description as one JSON object (the spool's {@code meta.json}): {@code version, id,
   * mailFrom, recipients, createdAt, expiresAt, size, sha256, messageId, origin}; times in ISO-8601
   * UTC.
   */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("version", JSON_VERSION);
    o.addProperty("id", id.toString());
    o.addProperty("mailFrom", envelope.mailFrom());
    JsonArray rcpt = new JsonArray();
    envelope.recipients().forEach(rcpt::add);
    o.add("recipients", rcpt);
    o.addProperty("createdAt", createdAt.toString());
    o.addProperty("expiresAt", expiresAt.toString());
    o.addProperty("size", size);
    o.addProperty("sha256", sha256);
    o.addProperty("messageId", messageId);
    o.addProperty("origin", origin.value());
    return o.toString();
  }

  /**
   * Parses {@link #toJson()} output, validating every field.
   *
   * @throws IllegalArgumentException naming the field that is missing or bad
   */
  public static OutboundItem fromJson(String json) {
    Objects.requireNonNull(json, "json");
    JsonObject o;
    try {
      JsonElement e = Json.parse(json);
      if (!e.isJsonObject()) {
        throw new IllegalArgumentException("item description is not a JSON object");
      }
      o = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          "item description is not valid JSON: " + firstLine(e.getMessage()));
    }
    int version = (int) number(o, "version");
    if (version != JSON_VERSION) {
      throw new IllegalArgumentException(
          "item description has version " + version + "; only " + JSON_VERSION + " is known");
    }
    List<String> recipients = new ArrayList<>();
    JsonElement r = o.get("recipients");
    if (r == null || !r.isJsonArray()) {
      throw new IllegalArgumentException("item description has no 'recipients' array");
    }
    for (JsonElement x : r.getAsJsonArray()) {
      if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
        throw new IllegalArgumentException("item description has a non-text recipient: " + x);
      }
      recipients.add(x.getAsString());
    }
    return of(
        ItemId.parse(text(o, "id")),
        Envelope.of(text(o, "mailFrom"), recipients),
        instant(o, "createdAt"),
        instant(o, "expiresAt"),
        number(o, "size"),
        text(o, "sha256"),
        text(o, "messageId"),
        DeviceId.of(text(o, "origin")));
  }

  private static String text(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("item description has no text field '" + key + "'");
    }
    return e.getAsString();
  }

  private static long number(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException("item description has no number field '" + key + "'");
    }
    try {
      return e.getAsBigDecimal().longValueExact();
    } catch (ArithmeticException ex) {
      throw new IllegalArgumentException(
          "item description field '" + key + "' is not a whole number: " + e);
    }
  }

  private static Instant instant(JsonObject o, String key) {
    String t = text(o, key);
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException ex) {
      throw new IllegalArgumentException(
          "item description field '"
              + key
              + "' is '"
              + ItemId.printable(t)
              + "', not an ISO-8601 instant like 2026-11-26T10:00:00Z");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OutboundItem)) {
      return false;
    }
    OutboundItem x = (OutboundItem) o;
    return x.id.equals(id)
        && x.envelope.equals(envelope)
        && x.createdAt.equals(createdAt)
        && x.expiresAt.equals(expiresAt)
        && x.size == size
        && x.sha256.equals(sha256)
        && x.messageId.equals(messageId)
        && x.origin.equals(origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, envelope, createdAt, expiresAt, size, sha256, messageId, origin);
  }

  @Override
  public String toString() {
    return "item "
        + id
        + " "
        + messageId
        + " "
        + envelope
        + " "
        + size
        + " bytes from "
        + origin
        + ", expires "
        + expiresAt;
  }

  /** The first line of a parser's message; empty when it has none. */
  private static String firstLine(@Nullable String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
