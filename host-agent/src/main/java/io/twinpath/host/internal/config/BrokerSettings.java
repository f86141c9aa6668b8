package io.twinpath.host.internal.config;

import io.twinpath.core.config.Secret;
import org.jspecify.annotations.Nullable;

/**
 * How the host reaches the MQTT broker. Immutable; the password never appears in {@link
 * #toString()}.
 *
 * @param url {@code tcp://host:port} or, with TLS, {@code ssl://host:port}
 * @param user the broker login, or null
 * @param password the broker password, or null
 */
public record BrokerSettings(String url, @Nullable String user, @Nullable Secret password) {
  /** True when the connection uses TLS. */
  public boolean tls() {
    return url.startsWith("ssl://");
  }
}
