/** What the status and queue commands show: the spool, recorded outcomes, peers. */
@NullMarked
package io.twinpath.host.internal.status;

import org.jspecify.annotations.NullMarked;
