/**
 * The crash-safe on-disk spool every device keeps: queued items with their exact message bytes,
 * their small mutable state, and copies arriving from a peer. See {@link
 * io.twinpath.core.spool.Spool} and the "Spool layout" section of {@code docs/PROTOCOL.md}.
 */
@NullMarked
package io.twinpath.core.spool;

import org.jspecify.annotations.NullMarked;
