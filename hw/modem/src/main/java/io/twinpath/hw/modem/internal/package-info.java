/** The AT engine, the vendor dialects, the socket implementation and the SMS codec. */
@NullMarked
package io.twinpath.hw.modem.internal;

import org.jspecify.annotations.NullMarked;
