/**
 * Maildir delivery: messages written so that any Maildir reader (mutt, aerc, Thunderbird,
 * Evolution, mblaze) sees them, crash-safe and with unique names.
 */
@NullMarked
package io.twinpath.core.maildir;

import org.jspecify.annotations.NullMarked;
