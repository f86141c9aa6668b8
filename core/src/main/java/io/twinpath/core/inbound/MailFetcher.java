package io.twinpath.core.inbound;

import io.twinpath.core.inbound.internal.FetchProperties;
import io.twinpath.core.inbound.internal.MailboxFetch;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches new mail from one IMAP or POP3 account into an {@link InboundSink}.
 *
 * <p>Before downloading a message it reads only its Message-ID: a message whose id is already known
 * here is skipped (and, with POP3 delete-after-download, deleted from the server, since it is
 * stored). A new message is downloaded, handed to the sink, and only once the sink has stored it
 * durably is it marked deleted on a POP3 server set to delete after download; the deletion takes
 * effect when the session ends normally, so a broken connection deletes nothing. A message the sink
 * refuses (budget) stays on the server. IMAP mail is never deleted; the fetcher remembers the
 * highest UID it has handled per UIDVALIDITY, so a poll only looks at new messages.
 *
 * <p>The connection takes the settings' path: a given socket factory (the modem's: with {@code
 * imaps}/{@code pop3s}, TLS runs in Java over its sockets) or a local bind address; certificates
 * are always checked against the configured trust and host name. Connect, read and write timeouts
 * are always set. Not thread-safe: one fetch at a time (the {@link #watch} loop runs them on its
 * own thread).
 */
public final class MailFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(MailFetcher.class);

  /** Messages larger than this are left on the server. */
  public static final long MAX_MESSAGE_BYTES = 64L * 1024 * 1024;

  private final FetchSettings settings;
  private final InboundSink sink;
  private final Session session;
  private final MailboxFetch mailbox;

  public MailFetcher(FetchSettings settings, InboundSink sink) {
    this.settings = settings;
    this.sink = sink;
    this.session = Session.getInstance(properties(settings));
    this.mailbox = new MailboxFetch(settings, sink);
    if (settings.protocol().isImap()) {
      mailbox.loadCursor();
    } else if (!settings.deleteAfterDownload()) {
      sink.store()
          .refuseForgetting(
              "this device fetches from "
                  + settings
                  + ", a POP3 mailbox that keeps its mail, so forgotten mail would be taken again");
    }
  }

  /** The Jakarta Mail store to use; see {@link FetchProperties#storeName}. */
  static String storeName(FetchSettings s) {
    return FetchProperties.storeName(s);
  }

  static Properties properties(FetchSettings s) {
    return FetchProperties.properties(s);
  }

  /** What one fetch did. */
  public record Report(int seen, int stored, int duplicates, int refused, int deleted) {
    @Override
    public String toString() {
      return seen
          + " seen, "
          + stored
          + " stored, "
          + duplicates
          + " already known, "
          + refused
          + " left on the server, "
          + deleted
          + " deleted from the server";
    }
  }

  /** Connects, takes every new message, disconnects. */
  public Report fetchOnce() throws MessagingException, IOException {
    Store store = connect();
    try {
      Folder folder = store.getFolder(settings.protocol().isImap() ? settings.folder() : "INBOX");
      boolean delete = settings.deleteAfterDownload();
      folder.open(delete ? Folder.READ_WRITE : Folder.READ_ONLY);
      Report r;
      boolean expunge = false;
      try {
        r =
            settings.protocol().isImap()
                ? mailbox.fetchImap((IMAPFolder) folder)
                : mailbox.fetchPop3(folder);
        expunge = delete && r.deleted() > 0;
      } finally {
        if (folder.isOpen()) {
          folder.close(expunge);
        }
      }
      return r;
    } finally {
      store.close();
    }
  }

  private Store connect() throws MessagingException {
    Store store = session.getStore(storeName(settings));
    char[] pw = settings.password().get();
    try {
      store.connect(settings.host(), settings.port(), settings.username(), new String(pw));
    } finally {
      java.util.Arrays.fill(pw, '\0');
    }
    return store;
  }

  /**
   * Fetches in a loop on a daemon thread until the returned handle is closed: with IMAP IDLE when
   * enabled and offered by the server (new mail is taken as soon as the server announces it),
   * otherwise every poll interval. {@code enabled} is asked before each fetch (the secondary's
   * policy: e.g. only while the host is offline). A failed fetch or a lost connection is retried
   * after 1 s, 2 s, 4 s and so on, never more than the poll interval apart.
   *
   * <p>With IDLE nothing that arrives is left waiting for a later event: the folder's message count
   * is watched, and a message announced while the fetch ran or while IDLE was being entered ends
   * the IDLE at once and is fetched. IDLE is re-issued every {@link FetchSettings#idleRefresh()},
   * after a NOOP that also finds a connection that died silently.
   */
  public Watch watch(BooleanSupplier enabled, Consumer<Report> onFetched) {
    Watch w = new Watch(enabled, onFetched);
    w.thread.start();
    return w;
  }

  /** A running fetch loop. */
  public final class Watch implements AutoCloseable {
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final long NUDGE_AGAIN_MS = 20;

    /** A session that lasted this long before it failed was healthy: retry from 1 s again. */
    private static final Duration LONG_LIVED = Duration.ofMinutes(1);

    private final BooleanSupplier enabled;
    private final Consumer<Report> onFetched;
    private final Thread thread;
    private final ScheduledExecutorService helper;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean wakePending; // guarded by lock
    private volatile boolean closed;
    private volatile @Nullable Store current;
    private volatile boolean idling;

    /** Counts wake-ups: new-message announcements and pokes. */
    private final AtomicLong wakes = new AtomicLong();

    /** The wake count seen when the latest fetch started: later wakes still need a fetch. */
    private volatile long fetchedUpTo;

    /** The folder while the loop is in (or entering) IDLE, else null. */
    private volatile @Nullable IMAPFolder idleFolder;

    private final AtomicLong idleGeneration = new AtomicLong();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger idles = new AtomicInteger();
    private volatile boolean serverLacksIdle;

    private Watch(BooleanSupplier enabled, Consumer<Report> onFetched) {
      this.enabled = enabled;
      this.onFetched = onFetched;
      this.thread = new Thread(this::run, "twinpath-fetch-" + settings.host());
      thread.setDaemon(true);
      this.helper =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "twinpath-fetch-idle-" + settings.host());
                t.setDaemon(true);
                return t;
              });
    }

    /** True while an IMAP IDLE command is waiting for the server. */
    public boolean idling() {
      return idling;
    }

    /** Connections made so far (the first one and every reconnection). */
    public int connections() {
      return sessions.get();
    }

    /** IDLE commands issued so far. */
    public int idleCommands() {
      return idles.get();
    }

    /** Asks for a fetch now (e.g. when the policy changed): ends a waiting IDLE or pause. */
    public void poke() {
      wakeUp();
    }

    private void wakeUp() {
      long target = wakes.incrementAndGet();
      lock.lock();
      try {
        wakePending = true;
        wake.signalAll();
      } finally {
        lock.unlock();
      }
      nudge(target);
    }

    /**
     * Makes sure the loop fetches after wake-up {@code target}: while it sits in (or is entering)
     * IDLE without having started a fetch since, end the IDLE, and look again shortly (the IDLE may
     * not have been sent yet when the first NOOP went out).
     */
    private void nudge(long target) {
      if (helper.isShutdown()) {
        return;
      }
      try {
        helper.execute(
            () -> {
              IMAPFolder f = idleFolder;
              if (f == null || fetchedUpTo >= target) {
                return; // the loop is fetching, or will look at the count before its next IDLE
              }
              endIdle(f);
              if (!helper.isShutdown()) {
                helper.schedule(() -> nudge(target), NUDGE_AGAIN_MS, TimeUnit.MILLISECONDS);
              }
            });
      } catch (RejectedExecutionException e) {
        // closing
      }
    }

    /**
     * Ends an IDLE from this (helper) thread: any folder command does, and NOOP checks the link.
     */
    private void endIdle(IMAPFolder f) {
      try {
        f.doCommand(
            p -> {
              p.noop();
              return null;
            });
      } catch (MessagingException | RuntimeException e) {
        LOG.debug("ending IDLE on {}: {}", settings, e.toString());
      }
    }

    private void run() {
      int failures = 0;
      while (!closed) {
        Duration next = settings.pollInterval();
        long started = System.nanoTime();
        try {
          if (enabled.getAsBoolean()) {
            if (settings.protocol().isImap() && settings.idle() && !serverLacksIdle) {
              idleSession();
              failures = 0;
              if (!serverLacksIdle) {
                continue; // left because the policy said no (the loop then pauses) or closed
              }
            } else {
              sessions.incrementAndGet();
              onFetched.accept(fetchOnce());
              failures = 0;
            }
          }
        } catch (MessagingException | IOException | RuntimeException e) {
          // a connection that served for a while and then broke starts the retries over
          boolean longLived = System.nanoTime() - started > LONG_LIVED.toNanos();
          failures = longLived ? 1 : failures + 1;
          next = retryDelay(failures);
          if (!closed) {
            LOG.warn(
                "Fetching from {} failed: {}; trying again in {} s",
                settings,
                e.toString(),
                next.toSeconds());
          }
        }
        pause(next);
      }
    }

    /** 1 s, 2 s, 4 s, … never more than the poll interval. */
    private Duration retryDelay(int failures) {
      long ms = FIRST_RETRY.toMillis() << Math.min(failures - 1, 20);
      return Duration.ofMillis(Math.min(ms, settings.pollInterval().toMillis()));
    }

    /**
     * One IMAP connection: fetch, then wait in IDLE and fetch again after each announcement, until
     * the policy says no or the watch is closed. Returns normally then, and when the server does
     * not offer IDLE (after one fetch; the loop polls from then on).
     */
    private void idleSession() throws MessagingException, IOException {
      Store store = connect();
      sessions.incrementAndGet();
      current = store;
      try {
        IMAPFolder folder = (IMAPFolder) store.getFolder(settings.folder());
        folder.addMessageCountListener(
            new MessageCountAdapter() {
              @Override
              public void messagesAdded(MessageCountEvent e) {
                wakeUp(); // may have been announced just before IDLE: do not wait for the next one
              }
            });
        folder.open(Folder.READ_ONLY);
        boolean canIdle = store instanceof IMAPStore s && s.hasCapability("IDLE");
        boolean announced = false;
        while (!closed && enabled.getAsBoolean()) {
          long before = wakes.get();
          fetchedUpTo = before;
          onFetched.accept(mailbox.fetchImap(folder));
          if (!canIdle) {
            LOG.info("{} does not offer IDLE; polling every {}", settings, settings.pollInterval());
            serverLacksIdle = true;
            return;
          }
          idleFolder = folder;
          try {
            if (closed || wakes.get() != before) {
              continue; // something was announced (or poked) since the fetch began
            }
            long gen = idleGeneration.incrementAndGet();
            ScheduledFuture<?> refresh =
                helper.schedule(
                    () -> {
                      if (idleFolder == folder && idleGeneration.get() == gen) {
                        endIdle(folder); // RFC 2177: re-issue before 29 minutes
                      }
                    },
                    settings.idleRefresh().toMillis(),
                    TimeUnit.MILLISECONDS);
            if (!announced) {
              LOG.info("Waiting for new mail in {} with IMAP IDLE", settings);
              announced = true;
            }
            idling = true;
            idles.incrementAndGet();
            try {
              folder.idle(true);
            } finally {
              idling = false;
              refresh.cancel(false);
            }
          } finally {
            idleFolder = null;
          }
          if (!folder.isOpen()) {
            throw new FolderClosedException(folder, "the connection ended during IDLE");
          }
        }
        folder.close(false);
      } finally {
        current = null;
        closeQuietly(store);
      }
    }

    /** Waits up to {@code d}, or until poked. */
    private void pause(Duration d) {
      lock.lock();
      try {
        long left = d.toNanos();
        while (!closed && !wakePending && left > 0) {
          left = wake.awaitNanos(left);
        }
        wakePending = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      closed = true;
      wakeUp();
      try {
        thread.join(2_000);
        Store s = current;
        if (thread.isAlive() && s != null) {
          closeQuietly(s); // stuck in a connect or a read: cut it
        }
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        helper.shutdownNow();
      }
    }
  }

  private static void closeQuietly(Store s) {
    try {
      s.close();
    } catch (MessagingException | RuntimeException e) {
      LOG.debug("closing a mail store: {}", e.toString());
    }
  }
}
