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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues into an open {@link Spool}: the message gets its Message-ID and Date ({@link
 * MessagePreparer}), then the spool stores it durably. Then {@code onQueued} hears of it (the
 * daemon hands it to the send engine). Once the spool has stored it, the message counts as queued
 * whatever happens next: a failure of {@code onQueued} is logged, not reported as a failed
 * submission (the item is attempted when the daemon starts again).
 */
public final class SpoolOutbox implements Outbox {
  /**
   * What {@link MessagePreparer} may add to a message ({@code Date} and {@code Message-ID}): the
   * allowance over {@code size_limit} for a message that arrives already prepared.
   */
  static final long PREPARED_SLACK = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(SpoolOutbox.class);

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
    return submit(envelope, message, config.sizeLimit());
  }

  /**
   * {@link #submit(Envelope, InputStream)} with another limit on the bytes read: {@code size_limit}
   * plus {@link #PREPARED_SLACK} for a message the client prepared already.
   */
  ItemId submit(Envelope envelope, InputStream message, long limit) throws SubmitException {
    OutboundItem item;
    try {
      InputStream prepared =
          MessagePreparer.prepare(
              new LimitedInputStream(message, limit),
              clock,
              config.domain(),
              config.sizeLimit() + PREPARED_SLACK);
      item =
          spool.enqueue(envelope, prepared, clock.instant().plus(config.expiry()), config.device());
    } catch (IOException e) {
      throw classify(e);
    } catch (IllegalArgumentException e) {
      throw new SubmitException(
          SubmitException.Kind.BAD_MESSAGE, "the message cannot be queued: " + e.getMessage(), e);
    }
    try {
      onQueued.accept(item);
    } catch (RuntimeException e) {
      // durably queued all the same: the caller acknowledges it, the next start attempts it
      LOG.warn(
          "{} is queued, but the send engine did not take it; it is attempted when twinpath-host"
              + " starts again",
          item.id(),
          e);
    }
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
