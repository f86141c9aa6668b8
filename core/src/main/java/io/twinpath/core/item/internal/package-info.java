/** Byte-level helpers behind message preparation: line-ending normalisation and header scanning. */
@NullMarked
package io.twinpath.core.item.internal;

import org.jspecify.annotations.NullMarked;
