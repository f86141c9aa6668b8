/** TLS set-up shared by every connection the core makes (SMTP, IMAP, POP3). */
@NullMarked
package io.twinpath.core.tls;

import org.jspecify.annotations.NullMarked;
