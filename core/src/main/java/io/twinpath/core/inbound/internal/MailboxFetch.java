package io.twinpath.core.inbound.internal;

import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.inbound.InboundId;
import io.twinpath.core.inbound.InboundSink;
import io.twinpath.core.inbound.MailFetcher;
import io.twinpath.core.inbound.MailFetcher.Report;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link MailFetcher} does in one open folder: takes the new messages into the sink, and for
 * IMAP keeps the highest UID handled per UIDVALIDITY (saved in the store under the mailbox's key).
 * Not thread-safe.
 */
public final class MailboxFetch {
  private static final Logger LOG = LoggerFactory.getLogger(MailFetcher.class);

  private final FetchSettings settings;
  private final InboundSink sink;
  private final String cursorKey;
  private long uidValidity = -1;
  private long lastUid;

  public MailboxFetch(FetchSettings settings, InboundSink sink) {
    this.settings = settings;
    this.sink = sink;
    this.cursorKey =
        settings.protocol().scheme()
            + "://"
            + settings.username()
            + "@"
            + settings.host()
            + ":"
            + settings.port()
            + "/"
            + settings.folder();
  }

  /** Where the last run stopped in this mailbox: "UIDVALIDITY UID" in the store. */
  public void loadCursor() {
    try {
      Optional<String> c = sink.store().cursor(cursorKey);
      if (c.isPresent()) {
        String[] parts = c.get().trim().split(" ");
        if (parts.length == 2) {
          uidValidity = Long.parseLong(parts[0]);
          lastUid = Long.parseLong(parts[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warn(
          "The saved position in {} cannot be read ({}); starting over", settings, e.toString());
      uidValidity = -1;
      lastUid = 0;
    }
  }

  public Report fetchImap(IMAPFolder folder) throws MessagingException, IOException {
    long savedValidity = uidValidity;
    long savedUid = lastUid;
    long validity = folder.getUIDValidity();
    Message[] messages;
    if (validity == uidValidity && lastUid > 0) {
      messages = folder.getMessagesByUID(lastUid + 1, UIDFolder.MAXUID);
    } else {
      uidValidity = validity;
      lastUid = 0;
      messages = folder.getMessages();
    }
    // a whole mailbox again: messages older than ids this store forgot count as handled
    java.time.Instant horizon = lastUid == 0 ? sink.store().forgottenBefore().orElse(null) : null;
    FetchProfile fp = new FetchProfile();
    fp.add(UIDFolder.FetchProfileItem.UID);
    fp.add("Message-ID");
    if (horizon != null) {
      fp.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
    }
    folder.fetch(messages, fp);
    int seen = 0;
    int stored = 0;
    int dup = 0;
    int refused = 0;
    for (Message m : messages) {
      long uid = folder.getUID(m);
      if (uid <= lastUid) {
        continue; // "n:*" always includes the last message
      }
      seen++;
      java.util.Date arrived = horizon == null ? null : m.getReceivedDate();
      InboundSink.Outcome o =
          arrived != null && arrived.toInstant().isBefore(horizon)
              ? InboundSink.Outcome.DUPLICATE
              : take(m);
      if (o == InboundSink.Outcome.REFUSED) {
        refused++;
        break; // later messages wait too, so that none is skipped for good
      }
      if (o == InboundSink.Outcome.STORED) {
        stored++;
      } else {
        dup++;
      }
      lastUid = uid;
    }
    if (uidValidity != savedValidity || lastUid != savedUid) {
      // after a restart only UIDs above this are looked at (pruned ids must not come back)
      sink.store().saveCursor(cursorKey, uidValidity + " " + lastUid);
    }
    return new Report(seen, stored, dup, refused, 0);
  }

  public Report fetchPop3(Folder folder) throws MessagingException, IOException {
    Message[] messages = folder.getMessages();
    int stored = 0;
    int dup = 0;
    int refused = 0;
    int deleted = 0;
    for (Message m : messages) {
      InboundSink.Outcome o = take(m);
      switch (o) {
        case STORED -> stored++;
        case DUPLICATE -> dup++;
        case REFUSED -> refused++;
      }
      if (o != InboundSink.Outcome.REFUSED && settings.deleteAfterDownload()) {
        m.setFlag(Flags.Flag.DELETED, true);
        deleted++;
      }
    }
    return new Report(messages.length, stored, dup, refused, deleted);
  }

  /** Hands one message to the sink, downloading it only when its id is not known yet. */
  private InboundSink.Outcome take(Message m) throws MessagingException, IOException {
    String[] header = m.getHeader("Message-ID");
    Optional<InboundId> byHeader =
        header == null || header.length == 0 ? Optional.empty() : InboundId.forMessageId(header[0]);
    if (byHeader.isPresent() && sink.store().knows(byHeader.get())) {
      return InboundSink.Outcome.DUPLICATE;
    }
    int size = m.getSize();
    if (size > MailFetcher.MAX_MESSAGE_BYTES) {
      LOG.warn(
          "A message of {} bytes on {} is over the {} byte limit; it stays on the server",
          size,
          settings,
          MailFetcher.MAX_MESSAGE_BYTES);
      return InboundSink.Outcome.REFUSED;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, size));
    m.writeTo(out);
    byte[] raw = out.toByteArray();
    InboundId id = byHeader.orElseGet(() -> InboundId.forBytes(raw));
    return sink.accept(id, raw);
  }
}
