/**
 * The modem driver's public API: open a {@link io.twinpath.hw.modem.Modem} over a byte pipe with a
 * dialect, bring it up, read its health, open TCP sockets through it and send SMS.
 */
@NullMarked
package io.twinpath.hw.modem;

import org.jspecify.annotations.NullMarked;
