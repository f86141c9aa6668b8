package io.twinpath.core.engine;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.MalformedCommandException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the engine needs to know of an item: the spool's item description (id, envelope, times,
 * size, SHA-256, Message-ID, origin). Immutable. Its JSON is the spool's item JSON.
 */
public record ItemMeta(
    ItemId id,
    Envelope envelope,
    Instant createdAt,
    Instant expiresAt,
    long size,
    String sha256,
    String messageId,
    DeviceId origin) {
  public ItemMeta {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(origin, "origin");
    if (size <= 0) {
      throw new IllegalArgumentException("item " + id + ": size " + size + " must be positive");
    }
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "item " + id + ": sha256 must be 64 lower-case hex digits");
    }
  }

  /** The spool's item JSON. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("version", 1);
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
    return o;
  }

  /**
   * Parses and validates the item JSON.
   *
   * @throws MalformedCommandException naming what is wrong
   */
  public static ItemMeta fromJson(JsonElement e) throws MalformedCommandException {
    if (e == null || !e.isJsonObject()) {
      throw new MalformedCommandException("the item description is not a JSON object");
    }
    JsonObject o = e.getAsJsonObject();
    try {
      List<String> recipients = new ArrayList<>();
      for (JsonElement r : o.getAsJsonArray("recipients")) {
        recipients.add(r.getAsString());
      }
      return new ItemMeta(
          ItemId.parse(o.get("id").getAsString()),
          Envelope.of(o.get("mailFrom").getAsString(), recipients),
          Instant.parse(o.get("createdAt").getAsString()),
          Instant.parse(o.get("expiresAt").getAsString()),
          o.get("size").getAsLong(),
          o.get("sha256").getAsString(),
          o.get("messageId").getAsString(),
          DeviceId.of(o.get("origin").getAsString()));
    } catch (NullPointerException
        | ClassCastException
        | IllegalStateException
        | UnsupportedOperationException
        | NumberFormatException
        | DateTimeParseException e2) {
      throw new MalformedCommandException("the item description has a missing or bad field");
    } catch (IllegalArgumentException e2) {
      throw new MalformedCommandException("the item description is invalid: " + e2.getMessage());
    }
  }
}
