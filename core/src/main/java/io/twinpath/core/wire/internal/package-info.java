/** Implementation details of the wire protocol. */
@NullMarked
package io.twinpath.core.wire.internal;

import org.jspecify.annotations.NullMarked;
