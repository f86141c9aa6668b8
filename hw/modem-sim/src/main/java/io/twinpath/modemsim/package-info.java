/** A modem simulator that speaks the SIM7600 and EC25 AT dialects on a pseudo-terminal. */
@NullMarked
package io.twinpath.modemsim;

import org.jspecify.annotations.NullMarked;
