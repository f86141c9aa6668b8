/** The simulator's machinery: serial line, command parser, dialect command sets, TCP bridge. */
@NullMarked
package io.twinpath.modemsim.internal;

import org.jspecify.annotations.NullMarked;
