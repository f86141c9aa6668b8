/** Dongle internals; not an API. */
@NullMarked
package io.twinpath.dongle.internal;

import org.jspecify.annotations.NullMarked;
