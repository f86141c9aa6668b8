package io.twinpath.host.internal.queue;

import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.InvalidMessageException;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.MessagePreparer;
import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.spool.Spool;
import io.twinpath.core.spool.SpoolFullException;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.submit.LimitedInputStream;
import io.twinpath.host.internal.submit.Outbox;
import io.twinpath.host.internal.submit.SubmitException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Queues into an open {@link Spool}: the message gets its Message-ID and Date ({@link
 * MessagePreparer}), then the spool stores it durably. Then {@code onQueued} hears of it (the
 * daemon hands it to the send engine).
 */
public final class SpoolOutbox implements Outbox {
  private final Spool spool;
  private final HostConfig config;
  private final Clock clock;
  private final Consumer<OutboundItem> onQueued;

  public SpoolOutbox(Spool spool, HostConfig config, Clock clock, Consumer<OutboundItem> onQueued) {
    this.spool = spool;
    this.config = config;
    this.clock = clock;
    this.onQueued = onQueued;
  }

  @Override
  public ItemId submit(Envelope envelope, InputStream message) throws SubmitException {
    OutboundItem item;
    try {
      InputStream prepared =
          MessagePreparer.prepare(
              new LimitedInputStream(message, config.sizeLimit()),
              clock,
              config.domain(),
              config.sizeLimit() + 4096);
      item =
          spool.enqueue(envelope, prepared, clock.instant().plus(config.expiry()), config.device());
    } catch (IOException e) {
      throw classify(e);
    } catch (IllegalArgumentException e) {
      throw new SubmitException(
          SubmitException.Kind.BAD_MESSAGE, "the message cannot be queued: " + e.getMessage(), e);
    }
    onQueued.accept(item);
    return item.id();
  }

  static SubmitException classify(IOException e) {
    LimitedInputStream.TooLargeException tooLarge =
        find(e, LimitedInputStream.TooLargeException.class);
    if (tooLarge != null) {
      return new SubmitException(SubmitException.Kind.TOO_LARGE, tooLarge.getMessage(), e);
    }
    if (e instanceof InvalidMessageException) {
      return new SubmitException(
          SubmitException.Kind.BAD_MESSAGE, "the message is malformed: " + e.getMessage(), e);
    }
    if (e instanceof SpoolFullException) {
      return new SubmitException(
          SubmitException.Kind.TEMPORARY, "the spool is full: " + e.getMessage(), e);
    }
    return new SubmitException(
        SubmitException.Kind.TEMPORARY, "the spool could not store it: " + e.getMessage(), e);
  }

  private static <T extends Throwable> @Nullable T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  @Override
  public long sizeLimit() {
    return config.sizeLimit();
  }
}
