package io.twinpath.core.engine.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.MalformedCommandException;
import java.util.Objects;

/** Checks of received engine commands done before any of them changes a record, and merges. */
final class Checks {
  private Checks() {}

  static ItemId itemId(String s) throws MalformedCommandException {
    try {
      return ItemId.parse(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedCommandException(
          Objects.requireNonNullElse(e.getMessage(), "not an item id: " + s));
    }
  }

  /**
   * Checks the optional recipient lists of a turn or outcome: {@code accepted} is a list of
   * addresses, {@code refused} maps addresses to reply text.
   */
  static void recipients(Command c) throws MalformedCommandException {
    JsonElement acc = c.body().get("accepted");
    if (acc != null && !acc.isJsonNull()) {
      if (!acc.isJsonArray()) {
        throw new MalformedCommandException(
            "the " + c.type() + " command's 'accepted' is not a list of addresses: " + acc);
      }
      for (JsonElement e : acc.getAsJsonArray()) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
          throw new MalformedCommandException(
              "the " + c.type() + " command's 'accepted' holds " + e + ", which is not an address");
        }
      }
    }
    JsonElement ref = c.body().get("refused");
    if (ref != null && !ref.isJsonNull()) {
      if (!ref.isJsonObject()) {
        throw new MalformedCommandException(
            "the " + c.type() + " command's 'refused' is not a map of address to reply: " + ref);
      }
      for (var e : ref.getAsJsonObject().entrySet()) {
        JsonElement v = e.getValue();
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
          throw new MalformedCommandException(
              "the "
                  + c.type()
                  + " command's 'refused' reply for "
                  + e.getKey()
                  + " is not text: "
                  + v);
        }
      }
    }
  }

  /** Adds the recipients a (checked) turn or outcome says were accepted or refused. */
  static void mergeRecipients(ItemRecord r, JsonObject o) {
    JsonArray acc = o.getAsJsonArray("accepted");
    if (acc != null) {
      for (JsonElement e : acc) {
        r.accepted.add(e.getAsString());
      }
    }
    JsonObject ref = o.getAsJsonObject("refused");
    if (ref != null) {
      for (var e : ref.entrySet()) {
        r.refused.put(e.getKey(), e.getValue().getAsString());
      }
    }
  }

  /**
   * Checks the optional {@code duplicatesBy} of a turn or outcome: a map of device id to the
   * possible duplicates that device counted (a whole number from 0).
   */
  static void duplicatesBy(Command c) throws MalformedCommandException {
    JsonElement by = c.body().get("duplicatesBy");
    if (by == null || by.isJsonNull()) {
      return;
    }
    if (!by.isJsonObject()) {
      throw new MalformedCommandException(
          "the " + c.type() + " command's 'duplicatesBy' is not a map of device to count: " + by);
    }
    for (var e : by.getAsJsonObject().entrySet()) {
      JsonElement v = e.getValue();
      boolean count;
      try {
        DeviceId.of(e.getKey());
        count =
            v.isJsonPrimitive()
                && v.getAsJsonPrimitive().isNumber()
                && v.getAsDouble() == v.getAsInt()
                && v.getAsInt() >= 0;
      } catch (IllegalArgumentException | ArithmeticException x) {
        count = false;
      }
      if (!count) {
        throw new MalformedCommandException(
            "the "
                + c.type()
                + " command's 'duplicatesBy' holds "
                + e.getKey()
                + ": "
                + v
                + ", not a device id and a count");
      }
    }
  }
}
