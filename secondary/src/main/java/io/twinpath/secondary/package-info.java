/**
 * The secondary side (a dongle or a gateway) assembled from core and the modem driver: {@link
 * io.twinpath.secondary.SecondarySettings} says what to run, {@link
 * io.twinpath.secondary.SecondaryNode} runs it. The dongle app and the Kura bundle map their own
 * configuration onto these two classes and hold no other logic of this kind.
 */
@NullMarked
package io.twinpath.secondary;

import org.jspecify.annotations.NullMarked;
