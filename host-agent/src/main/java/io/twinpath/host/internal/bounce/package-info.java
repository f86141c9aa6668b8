/** Bounce messages (RFC 3464 delivery status notifications) into the local Maildir. */
@NullMarked
package io.twinpath.host.internal.bounce;

import org.jspecify.annotations.NullMarked;
