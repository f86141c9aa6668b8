/** Power key, reset line and status pin of modem boards, driven through Pi4J. */
@NullMarked
package io.twinpath.hw.power;

import org.jspecify.annotations.NullMarked;
