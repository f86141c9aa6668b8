/**
 * The SMTP path: submission over STARTTLS (587) or implicit TLS (465) with Jakarta Mail (Angus),
 * sending the exact spooled bytes, with per-recipient outcomes and one failure classification
 * (temporary, permanent, ambiguous). See the "Failure classes" section of {@code docs/PROTOCOL.md}.
 */
@NullMarked
package io.twinpath.core.smtp;

import org.jspecify.annotations.NullMarked;
