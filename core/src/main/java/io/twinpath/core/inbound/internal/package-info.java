/**
 * Inbound internals: the rateless IBLT, its wire codec, small primitive collections, the inbound
 * store's files, and TLS over a path's plain sockets for the fetch.
 */
@NullMarked
package io.twinpath.core.inbound.internal;

import org.jspecify.annotations.NullMarked;
