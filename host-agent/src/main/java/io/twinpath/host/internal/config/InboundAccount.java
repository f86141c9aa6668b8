package io.twinpath.host.internal.config;

import io.twinpath.core.config.Secret;
import io.twinpath.core.inbound.FetchSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The mailbox this laptop fetches inbound mail from ({@code inbound} and the {@code inbound_*} keys
 * of the {@code twinpath} block). Immutable; the password never appears in {@link #toString()}.
 *
 * @param protocol IMAP or POP3, with or without TLS from the first byte
 * @param starttls plain IMAP or POP3 upgraded with STARTTLS before the login ({@code inbound_tls
 *     starttls}); a server that does not offer it is refused
 * @param host the mail server
 * @param port its port (by default from the protocol: 993, 995, 143 or 110)
 * @param user the login
 * @param password the password (by default the chosen SMTP account's), or null for none
 * @param folder the IMAP folder to fetch
 * @param delete POP3 only: delete each message once it is in the Maildir
 * @param poll how often to look for new mail when the server has no IMAP IDLE
 * @param timeout connect timeout (reads and writes wait twice as long)
 * @param origin where it was configured, e.g. {@code host.conf:12}
 */
public record InboundAccount(
    FetchSettings.Protocol protocol,
    boolean starttls,
    String host,
    int port,
    String user,
    @Nullable Secret password,
    String folder,
    boolean delete,
    Duration poll,
    Duration timeout,
    String origin) {}
