/** Test doubles and helpers for the host's tests. */
@NullMarked
package io.twinpath.host.testing;

import org.jspecify.annotations.NullMarked;
