/** The Angus Mail transport behind {@link io.twinpath.core.smtp.SmtpSender}. */
@NullMarked
package io.twinpath.core.smtp.internal;

import org.jspecify.annotations.NullMarked;
