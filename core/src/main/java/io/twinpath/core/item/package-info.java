/** Outbound items: ids, envelopes and the validated model every device keeps in its spool. */
@NullMarked
package io.twinpath.core.item;

import org.jspecify.annotations.NullMarked;
