package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.engine.CommandHandler;
import io.twinpath.core.wire.Command;
import io.twinpath.core.wire.CommandCodec;
import io.twinpath.core.wire.MalformedCommandException;
import io.twinpath.core.wire.RejectedCommandException;
import io.twinpath.core.wire.Topics;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands in: every message the link receives. Peers' states go to presence; commands on this
 * device's inbox are opened (signature, replay, pairing), checked against the device order and
 * handed to the handler registered for their type.
 */
final class Inbox {
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

  private final EngineParts e;
  private final CommandCodec codec;
  private final CommandRegistry commands;
  private final PresenceHandler presence;

  Inbox(EngineParts e, CommandCodec codec, CommandRegistry commands, PresenceHandler presence) {
    this.e = e;
    this.codec = codec;
    this.commands = commands;
    this.presence = presence;
  }

  /** Called on the link's receive thread; returns once handled so the broker ack follows. */
  void onMessage(String topic, byte[] payload, boolean duplicate) {
    e.loop.runAndWait(() -> handle(topic, payload, duplicate), "a message on " + topic);
  }

  private void handle(String topic, byte[] payload, boolean duplicate) {
    Optional<DeviceId> stateOf = Topics.deviceOfState(topic);
    if (stateOf.isPresent()) {
      presence.onState(stateOf.get(), payload);
      return;
    }
    if (!topic.equals(Topics.inbox(e.self))) {
      return;
    }
    Command c;
    try {
      c = codec.open(payload);
    } catch (RejectedCommandException x) {
      if (duplicate && x.getMessage() != null && x.getMessage().contains("replay")) {
        LOG.debug("{}: redelivered command dropped: {}", e.self, x.getMessage());
        return;
      }
      LOG.warn("{}: refused a command: {}", e.self, x.getMessage());
      e.events.commandRejected(x.claimedSender(), Objects.requireNonNull(x.getMessage()));
      return;
    }
    if (!e.peers.inOrder(c.from())) {
      e.reject(c, c.from() + " is paired but not in this device's configured order");
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{}: {} from {} (seq {}) {}",
          e.self,
          c.type(),
          c.from(),
          c.seq(),
          c.body().has("item") ? c.body().get("item") : c.body().get("items"));
    }
    try {
      CommandHandler h = commands.handlerFor(c.type());
      if (h == null) {
        e.reject(c, "the command type '" + c.type() + "' is unknown");
      } else {
        h.handle(c);
      }
    } catch (MalformedCommandException | RuntimeException x) {
      e.reject(c, "the " + c.type() + " command is malformed: " + x.getMessage());
    }
    e.status.flushSoon();
  }
}
