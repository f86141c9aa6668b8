/**
 * Test infrastructure shared by every module: real servers started per test class and faults
 * injected on real sockets.
 */
@NullMarked
package io.twinpath.testing;

import org.jspecify.annotations.NullMarked;
