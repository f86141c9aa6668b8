package io.twinpath.host.internal.submit;

import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import java.io.InputStream;

/**
 * Where submitted messages go: the sendmail command and the SMTP listener both hand messages here.
 * {@link #submit} returns only once the message is durably queued (written and fsynced), so the
 * caller may then acknowledge it (exit 0, SMTP 250).
 */
public interface Outbox {
  /**
   * Queues one message.
   *
   * @param envelope sender and recipients
   * @param message the RFC 5322 bytes with CRLF line ends; read to its end
   * @return the id of the queued item
   * @throws SubmitException saying why it was not queued; nothing is left behind then
   */
  ItemId submit(Envelope envelope, InputStream message) throws SubmitException;

  /** The largest message accepted, in bytes. */
  long sizeLimit();
}
