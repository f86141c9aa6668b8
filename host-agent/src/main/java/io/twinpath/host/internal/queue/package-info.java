/**
 * Reaching the spool: directly when no daemon runs, through the daemon's control socket when one
 * does (only one process may hold the spool open).
 */
@NullMarked
package io.twinpath.host.internal.queue;

import org.jspecify.annotations.NullMarked;
