/** The secondary device as a standalone app. */
@NullMarked
package io.twinpath.dongle;

import org.jspecify.annotations.NullMarked;
