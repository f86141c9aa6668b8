/** Kura wiring; not exported. */
@NullMarked
package io.twinpath.kura.internal;

import org.jspecify.annotations.NullMarked;
