/** Device presence and status on MQTT. */
@NullMarked
package io.twinpath.core.status;

import org.jspecify.annotations.NullMarked;
