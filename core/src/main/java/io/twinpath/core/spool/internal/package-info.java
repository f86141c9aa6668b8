/** The file implementation of the spool. */
@NullMarked
package io.twinpath.core.spool.internal;

import org.jspecify.annotations.NullMarked;
