/**
 * Inbound internals: the rateless IBLT, its wire codec, small primitive collections, the inbound
 * store's files, the receiving side of transfers between devices, and the fetch's mailbox reading,
 * session properties and TLS over a path's plain sockets.
 */
@NullMarked
package io.twinpath.core.inbound.internal;

import org.jspecify.annotations.NullMarked;
