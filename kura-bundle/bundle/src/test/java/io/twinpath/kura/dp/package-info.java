/** Builds the deployment package during the normal build; not part of the bundle. */
@NullMarked
package io.twinpath.kura.dp;

import org.jspecify.annotations.NullMarked;
