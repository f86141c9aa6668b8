package io.twinpath.core.inbound;

import io.twinpath.core.DeviceId;
import io.twinpath.core.event.TwinpathListener;
import io.twinpath.core.maildir.Maildir;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a device does with a message it fetched or received from a peer. The host delivers into its
 * Maildir ({@link #maildir}); a secondary holds the bytes until the host confirms ({@link
 * #holding}). Either way the id becomes known, so the same message is never taken twice.
 */
public interface InboundSink {
  /** What became of one message. */
  enum Outcome {
    /** Durably stored (delivered, or held). */
    STORED,
    /** Already known here; nothing was done. */
    DUPLICATE,
    /** Not stored (the storage budget is used up); the message must stay where it is. */
    REFUSED
  }

  /**
   * Takes one message. Returns only once the outcome is durable: a caller may then delete the
   * message from the server (POP3) when the outcome is not {@link Outcome#REFUSED}.
   */
  Outcome accept(InboundId id, byte[] raw) throws IOException;

  /** Whether this device wants the bytes of messages it lacks (the host does). */
  boolean wantsMissingMessages();

  /** The store behind this sink. */
  InboundStore store();

  /** The host's sink: delivery into a Maildir, exactly once per id, also across crashes. */
  static InboundSink maildir(InboundStore store, Maildir maildir) throws IOException {
    return new MaildirSink(store, maildir);
  }

  /** A secondary's sink: holds the bytes until the host confirms, within the store's budget. */
  static InboundSink holding(InboundStore store) {
    return new HoldingSink(store);
  }

  /**
   * {@code sink}, reporting each message it stores to {@code listener} as {@code inboundStored(id,
   * self, bytes)}: use it for the fetcher of device {@code self}.
   */
  static InboundSink observed(InboundSink sink, DeviceId self, TwinpathListener listener) {
    return new InboundSink() {
      @Override
      public Outcome accept(InboundId id, byte[] raw) throws IOException {
        Outcome o = sink.accept(id, raw);
        if (o == Outcome.STORED) {
          listener.inboundStored(id.toString(), self, raw.length);
        }
        return o;
      }

      @Override
      public boolean wantsMissingMessages() {
        return sink.wantsMissingMessages();
      }

      @Override
      public InboundStore store() {
        return sink.store();
      }
    };
  }
}

/** Delivers into a Maildir; a marker around each delivery makes it exactly-once across crashes. */
final class MaildirSink implements InboundSink {
  private static final Logger LOG = LoggerFactory.getLogger(MaildirSink.class);
  private final InboundStore store;
  private final Maildir maildir;

  MaildirSink(InboundStore store, Maildir maildir) throws IOException {
    this.store = store;
    this.maildir = maildir;
    recover();
  }

  /** Finishes deliveries interrupted by a crash: delivered ones become known, others are redone. */
  private void recover() throws IOException {
    List<InboundId> unfinished = store.unfinishedDeliveries();
    for (InboundId id : unfinished) {
      if (!maildir.findLabelled(id.toString()).isEmpty()) {
        store.endDelivery(id);
        LOG.info("Inbound message {} was delivered before a restart; recorded it", id);
      } else {
        store.abandonDelivery(id);
      }
    }
  }

  @Override
  public synchronized Outcome accept(InboundId id, byte[] raw) throws IOException {
    if (store.knows(id)) {
      return Outcome.DUPLICATE;
    }
    store.beginDelivery(id);
    maildir.deliver(raw, id.toString());
    store.endDelivery(id);
    return Outcome.STORED;
  }

  @Override
  public boolean wantsMissingMessages() {
    return true;
  }

  @Override
  public InboundStore store() {
    return store;
  }
}

/** Holds bytes for the host. */
final class HoldingSink implements InboundSink {
  private final InboundStore store;

  HoldingSink(InboundStore store) {
    this.store = store;
  }

  @Override
  public Outcome accept(InboundId id, byte[] raw) throws IOException {
    return switch (store.keep(id, raw)) {
      case STORED -> Outcome.STORED;
      case ALREADY_KNOWN -> Outcome.DUPLICATE;
      case OVER_BUDGET -> Outcome.REFUSED;
    };
  }

  @Override
  public boolean wantsMissingMessages() {
    return false;
  }

  @Override
  public InboundStore store() {
    return store;
  }
}
