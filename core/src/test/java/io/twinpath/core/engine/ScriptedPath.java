package io.twinpath.core.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Supplier;

/**
 * A send path that answers from a script (the last entry repeats) and records every attempt with
 * the bytes it was given. An entry may block until released, like a black-holed connection.
 */
final class ScriptedPath implements SendPath {
  /** One recorded attempt. */
  record Attempt(ItemMeta item, byte[] bytes, Set<String> skip) {}

  private final LinkedBlockingDeque<Supplier<AttemptResult>> script = new LinkedBlockingDeque<>();
  private volatile Supplier<AttemptResult> last = () -> AttemptResult.delivered("250 OK", Set.of());
  final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);

  ScriptedPath then(AttemptResult r) {
    script.add(() -> r);
    return this;
  }

  /** The next attempt hangs until {@link #release} counts down, then answers {@code r}. */
  ScriptedPath thenHang(AttemptResult r) {
    script.add(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return r;
        });
    return this;
  }

  @Override
  public AttemptResult attempt(ItemMeta item, InputStream message, Set<String> skip) {
    byte[] bytes;
    try {
      bytes = message.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    attempts.add(new Attempt(item, bytes, skip));
    Supplier<AttemptResult> next = script.poll();
    if (next != null) {
      last = next;
    } else {
      next = last;
    }
    return next.get();
  }
}
