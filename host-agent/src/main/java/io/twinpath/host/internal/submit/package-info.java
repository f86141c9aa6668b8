/** Queueing a submitted message: the sendmail command and the shared path into the spool. */
@NullMarked
package io.twinpath.host.internal.submit;

import org.jspecify.annotations.NullMarked;
