package io.twinpath.host.internal.config;

import io.twinpath.core.config.Secret;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One {@code account} block: this laptop's own SMTP submission server. Immutable; the password
 * never appears in {@link #toString()}.
 *
 * @param name the block's name
 * @param origin where the block starts, e.g. {@code host.conf:7}
 * @param host the submission server
 * @param port its port (by default from the TLS mode: 587, 465 or 25)
 * @param tls how the connection is protected
 * @param user the login, or null for no authentication
 * @param password the password, or null for none
 * @param from the envelope sender used when a message gives none
 * @param timeout connect, read and write timeout
 */
public record Account(
    String name,
    String origin,
    String host,
    int port,
    TlsMode tls,
    @Nullable String user,
    @Nullable Secret password,
    @Nullable String from,
    Duration timeout) {}
