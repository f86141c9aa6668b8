/** Twinpath core: what every device shares. */
@NullMarked
package io.twinpath.core;

import org.jspecify.annotations.NullMarked;
