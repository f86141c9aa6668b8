package io.twinpath.hw.modem.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the URCs told the driver: the links in use, registration, the data context. */
public final class ModemState implements ModemEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ModemState.class);

  private final @Nullable Link[] links;
  private final Map<String, Integer> registration = new ConcurrentHashMap<>();
  private volatile @Nullable String contextLost;
  private int next;

  public ModemState(int links) {
    this.links = new Link[links];
  }

  /**
   * Takes a free link id, waiting up to {@code wait} for one to be freed (the modem has a fixed
   * number of sockets; a connection that waits its turn for one beats a failed attempt).
   */
  public synchronized Link allocate(Duration wait) throws IOException {
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    while (true) {
      // round robin: a link just closed may still be closing inside the modem
      for (int k = 0; k < links.length; k++) {
        int i = (next + k) % links.length;
        if (links[i] == null) {
          Link l = new Link(i);
          links[i] = l;
          next = (i + 1) % links.length;
          return l;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException(
            "all "
                + links.length
                + " modem sockets are in use"
                + (wait.isZero() || wait.isNegative() ? "" : " (waited " + wait + " for one)"));
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a free modem socket");
      }
    }
  }

  public synchronized void free(Link link) {
    if (links[link.id()] == link) {
      links[link.id()] = null;
      notifyAll();
    }
  }

  public synchronized int open() {
    int n = 0;
    for (Link l : links) {
      n += l == null ? 0 : 1;
    }
    return n;
  }

  private synchronized @Nullable Link link(int id) {
    if (id < 0) {
      Link only = null;
      for (Link l : links) {
        if (l != null) {
          if (only != null) {
            return null;
          }
          only = l;
        }
      }
      return only;
    }
    return id < links.length ? links[id] : null;
  }

  /** The data context came up (again). */
  public void contextUp() {
    contextLost = null;
  }

  public @Nullable String contextLost() {
    return contextLost;
  }

  public @Nullable Integer registration(String kind) {
    return registration.get(kind);
  }

  @Override
  public void dataReady(int id) {
    Link l = link(id);
    if (l != null) {
      l.dataReady();
    }
  }

  @Override
  public void pushData(int id, byte[] data) {
    Link l = link(id);
    if (l != null) {
      l.offer(data, 0, data.length);
    } else {
      LOG.warn("{} bytes pushed for modem link {} which is not open; dropped", data.length, id);
    }
  }

  @Override
  public void remoteClosed(int id, String why) {
    Link l = link(id);
    if (l != null) {
      l.remoteClosed(why);
    }
  }

  @Override
  public void contextLost(String why) {
    LOG.warn("modem data context lost: {}", why);
    contextLost = why;
    Link[] copy;
    synchronized (this) {
      copy = links.clone();
    }
    for (Link l : copy) {
      if (l != null) {
        l.lost(why);
      }
    }
  }

  @Override
  public void registration(String kind, int stat) {
    LOG.info("{} registration: {}", kind, stat);
    registration.put(kind, stat);
  }
}
