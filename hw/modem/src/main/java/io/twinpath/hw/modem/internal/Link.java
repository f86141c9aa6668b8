package io.twinpath.hw.modem.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The driver's view of one modem socket: received bytes not yet read, and what the URCs said (data
 * waiting, closed by the peer, context lost). Thread-safe.
 */
public final class Link implements AtEngine.RawSink {
  private final int id;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private int headOffset;
  private int buffered;
  private boolean dataReady;
  private @Nullable String remoteClosed;
  private @Nullable String lost;
  private boolean closed;

  Link(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** Received bytes (pushed, or raw in a transparent session). */
  public void offer(byte[] data, int off, int len) {
    if (len <= 0) {
      return;
    }
    byte[] copy = new byte[len];
    System.arraycopy(data, off, copy, 0, len);
    lock.lock();
    try {
      queue.add(copy);
      buffered += len;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Takes buffered bytes; 0 when none. */
  public int take(byte[] b, int off, int len) {
    lock.lock();
    try {
      int n = 0;
      while (n < len && !queue.isEmpty()) {
        byte[] head = queue.peek();
        int k = Math.min(len - n, head.length - headOffset);
        System.arraycopy(head, headOffset, b, off + n, k);
        n += k;
        headOffset += k;
        if (headOffset == head.length) {
          queue.poll();
          headOffset = 0;
        }
      }
      buffered -= n;
      return n;
    } finally {
      lock.unlock();
    }
  }

  public int buffered() {
    lock.lock();
    try {
      return buffered;
    } finally {
      lock.unlock();
    }
  }

  public void dataReady() {
    lock.lock();
    try {
      dataReady = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Clears the data-ready flag before asking the modem for data. */
  public void clearReady() {
    lock.lock();
    try {
      dataReady = false;
    } finally {
      lock.unlock();
    }
  }

  public void remoteClosed(String why) {
    lock.lock();
    try {
      if (remoteClosed == null) {
        remoteClosed = why;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public @Nullable String remoteClosedReason() {
    lock.lock();
    try {
      return remoteClosed;
    } finally {
      lock.unlock();
    }
  }

  public void lost(String why) {
    lock.lock();
    try {
      if (lost == null) {
        lost = why;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public @Nullable String lostReason() {
    lock.lock();
    try {
      return lost;
    } finally {
      lock.unlock();
    }
  }

  public void closeLocally() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean closedLocally() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until data is waiting or buffered, the link closes or is lost, or {@code nanos} pass.
   *
   * @return true when something changed
   */
  public boolean await(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (!dataReady && buffered == 0 && remoteClosed == null && lost == null && !closed) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void data(byte[] buf, int off, int len) {
    offer(buf, off, len);
  }

  @Override
  public void ended(String result) {
    remoteClosed("the transparent session ended (" + result + ")");
  }

  static long nanos(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
