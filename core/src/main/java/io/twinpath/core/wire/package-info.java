/**
 * The MQTT wire protocol: topics, signed JSON commands, device keys and pairing, replay protection
 * and the Paho link.
 */
@NullMarked
package io.twinpath.core.wire;

import org.jspecify.annotations.NullMarked;
