/** The send-coordination engine: one {@link io.twinpath.core.engine.Coordinator} per device. */
@NullMarked
package io.twinpath.core.engine;

import org.jspecify.annotations.NullMarked;
