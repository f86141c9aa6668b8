/** The pure transition table and the engine's internal records. */
@NullMarked
package io.twinpath.core.engine.internal;

import org.jspecify.annotations.NullMarked;
