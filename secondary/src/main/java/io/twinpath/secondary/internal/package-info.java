/** Secondary internals; not an API. */
@NullMarked
package io.twinpath.secondary.internal;

import org.jspecify.annotations.NullMarked;
