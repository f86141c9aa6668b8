/** Host internals; not an API. */
@NullMarked
package io.twinpath.host.internal;

import org.jspecify.annotations.NullMarked;
