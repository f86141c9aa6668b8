/** The loopback SMTP submission listener. */
@NullMarked
package io.twinpath.host.internal.smtpd;

import org.jspecify.annotations.NullMarked;
