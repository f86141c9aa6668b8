/** The laptop side of Twinpath. */
@NullMarked
package io.twinpath.host;

import org.jspecify.annotations.NullMarked;
