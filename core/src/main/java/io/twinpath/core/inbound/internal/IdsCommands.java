package io.twinpath.core.inbound.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.twinpath.core.DeviceId;
import io.twinpath.core.inbound.InboundId;
import io.twinpath.core.inbound.PeerChannel;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.MalformedCommandException;
import java.util.ArrayList;
import java.util.List;

/** The {@code ids} field of the inbound commands: a JSON array of ids as text, bounded in size. */
public final class IdsCommands {
  /** The most ids one command carries; longer lists go in several commands. */
  public static final int MAX_IDS_PER_COMMAND = 2_000;

  private IdsCommands() {}

  /** Sends {@code ids} to {@code peer} in as many {@code type} commands as needed. */
  public static void sendIds(PeerChannel channel, DeviceId peer, String type, List<InboundId> ids) {
    for (int i = 0; i < ids.size(); i += MAX_IDS_PER_COMMAND) {
      channel.send(
          peer, type, idsField(ids.subList(i, Math.min(ids.size(), i + MAX_IDS_PER_COMMAND))));
    }
  }

  public static JsonObject idsField(List<InboundId> ids) {
    JsonObject f = new JsonObject();
    f.add("ids", idArray(ids));
    return f;
  }

  public static JsonArray idArray(List<InboundId> ids) {
    JsonArray a = new JsonArray();
    ids.forEach(i -> a.add(i.toString()));
    return a;
  }

  public static List<InboundId> ids(Command c) throws MalformedCommandException {
    JsonElement e = c.body().get("ids");
    if (e == null || !e.isJsonArray()) {
      throw new MalformedCommandException("the " + c.type() + " command has no array 'ids'");
    }
    JsonArray a = e.getAsJsonArray();
    if (a.size() > MAX_IDS_PER_COMMAND) {
      throw new MalformedCommandException(
          "the "
              + c.type()
              + " command lists "
              + a.size()
              + " ids; at most "
              + MAX_IDS_PER_COMMAND);
    }
    List<InboundId> out = new ArrayList<>(a.size());
    for (JsonElement x : a) {
      if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
        throw new MalformedCommandException("the " + c.type() + " command has a non-text id");
      }
      out.add(InboundId.parse(x.getAsString()));
    }
    return out;
  }
}
