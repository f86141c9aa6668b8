package io.twinpath.secondary;

import io.twinpath.core.inbound.InboundStore;

/** The inbound mail a running secondary fetched and holds for the hosts. */
public interface HeldInbound {
  /** The messages held until a host confirms them. */
  InboundStore store();

  /** True while a host is online (with the default policy, fetching pauses then). */
  boolean hostAvailable();

  /** True while the fetch waits in IMAP IDLE for new mail. */
  boolean idling();
}
