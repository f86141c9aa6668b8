/** Byte pipes: the only thing the AT engine knows about a serial port. */
@NullMarked
package io.twinpath.hw.serial;

import org.jspecify.annotations.NullMarked;
