/** Twinpath's secondary as an Eclipse Kura component: the only exported package. */
@NullMarked
package io.twinpath.kura;

import org.jspecify.annotations.NullMarked;
