/** The hardware layer: the modem's byte pipe, AT engine, dialects, sockets, SMS and GPIO. */
@NullMarked
package io.twinpath.hw;

import org.jspecify.annotations.NullMarked;
