package io.twinpath.host.testing;

import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.host.internal.submit.LimitedInputStream;
import io.twinpath.host.internal.submit.Outbox;
import io.twinpath.host.internal.submit.SubmitException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** An outbox that keeps what it is given in memory, or fails as told. For listener tests. */
public final class RecordingOutbox implements Outbox {
  /** One submitted message. */
  public record Submitted(ItemId id, Envelope envelope, byte[] bytes) {}

  private final long sizeLimit;
  private final List<Submitted> submitted = new CopyOnWriteArrayList<>();
  private volatile SubmitException.@Nullable Kind failWith;

  public RecordingOutbox(long sizeLimit) {
    this.sizeLimit = sizeLimit;
  }

  /** Makes every later submission fail with {@code kind} (null: succeed again). */
  public void failWith(SubmitException.@Nullable Kind kind) {
    this.failWith = kind;
  }

  public List<Submitted> submitted() {
    return submitted;
  }

  @Override
  public ItemId submit(Envelope envelope, InputStream message) throws SubmitException {
    byte[] bytes;
    try {
      bytes = new LimitedInputStream(message, sizeLimit).readAllBytes();
    } catch (LimitedInputStream.TooLargeException e) {
      throw new SubmitException(SubmitException.Kind.TOO_LARGE, e.getMessage(), e);
    } catch (IOException e) {
      throw new SubmitException(SubmitException.Kind.TEMPORARY, e.getMessage(), e);
    }
    SubmitException.Kind f = failWith;
    if (f != null) {
      throw new SubmitException(f, "told to fail with " + f);
    }
    ItemId id = ItemId.generate(Clock.systemUTC());
    submitted.add(new Submitted(id, envelope, bytes));
    return id;
  }

  @Override
  public long sizeLimit() {
    return sizeLimit;
  }
}
