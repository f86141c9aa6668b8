/** Inbound internals: the rateless IBLT, its wire codec and small primitive collections. */
@NullMarked
package io.twinpath.core.inbound.internal;

import org.jspecify.annotations.NullMarked;
