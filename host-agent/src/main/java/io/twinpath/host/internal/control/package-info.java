/**
 * The daemon's control socket: a Unix-domain socket through which the sendmail, status and queue
 * commands reach a running daemon (which holds the spool open).
 */
@NullMarked
package io.twinpath.host.internal.control;

import org.jspecify.annotations.NullMarked;
