/**
 * The one listener interface through which every outbound event flows; logs, metrics and MQTT
 * status are listeners.
 */
@NullMarked
package io.twinpath.core.event;

import org.jspecify.annotations.NullMarked;
