package io.twinpath.core.smtp;

import io.twinpath.core.item.OutboundItem;

/**
 * Asked once per attempt, after every byte of the message has been written and before the final
 * dot: may this attempt commit? This is the hook for a hedged send, where two paths prepare in
 * parallel and only one is granted the final dot. Declining (or being interrupted) drops the
 * connection without the dot, so the server discards the message; the attempt then reports {@link
 * SendResult.Outcome#TEMPORARY} with every recipient still pending.
 *
 * <p>Keep the wait well under the server's DATA timeout (RFC 5321 suggests servers wait at least 10
 * minutes for data) and under this path's write timeout.
 */
@FunctionalInterface
public interface CommitGate {
  /** Always commits: the normal, single-path send. */
  CommitGate ALWAYS = item -> true;

  /**
   * @return true to send the final dot, false to stand down
   * @throws InterruptedException when the waiting thread is interrupted (treated as false)
   */
  boolean mayCommit(OutboundItem item) throws InterruptedException;
}
