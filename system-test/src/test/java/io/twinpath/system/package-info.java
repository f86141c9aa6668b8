/** System tests: real processes, real mail servers, separate network routes. */
@NullMarked
package io.twinpath.system;

import org.jspecify.annotations.NullMarked;
