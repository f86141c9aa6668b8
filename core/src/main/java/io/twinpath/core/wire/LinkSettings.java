package io.twinpath.core.wire;

import io.twinpath.core.DeviceId;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/** How a device connects to the broker. Immutable; build with {@link #builder()}. */
public final class LinkSettings {
  private final String brokerUrl;
  private final DeviceId device;
  private final String role;
  private final Path dataDir;
  private final int maxInflight;
  private final Duration keepAlive;
  private final Duration connectTimeout;
  private final @Nullable String username;
  private final @Nullable Supplier<char[]> password;
  private final @Nullable SocketFactory socketFactory;

  private LinkSettings(Builder b) {
    this.brokerUrl = Objects.requireNonNull(b.brokerUrl, "brokerUrl is required");
    this.device = Objects.requireNonNull(b.device, "device is required");
    this.role = b.role;
    this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir is required");
    this.maxInflight = b.maxInflight;
    this.keepAlive = b.keepAlive;
    this.connectTimeout = b.connectTimeout;
    this.username = b.username;
    this.password = b.password;
    this.socketFactory = b.socketFactory;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String brokerUrl() {
    return brokerUrl;
  }

  public DeviceId device() {
    return device;
  }

  /** Shown in the retained state, e.g. {@code host} or {@code secondary}. */
  public String role() {
    return role;
  }

  /** Where Paho keeps in-flight messages ({@code <dataDir>/mqtt}). */
  public Path dataDir() {
    return dataDir;
  }

  public int maxInflight() {
    return maxInflight;
  }

  public Duration keepAlive() {
    return keepAlive;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public @Nullable String username() {
    return username;
  }

  public @Nullable Supplier<char[]> password() {
    return password;
  }

  /** For TLS to the broker ({@code ssl://} URLs), e.g. an {@code SSLSocketFactory}. */
  public @Nullable SocketFactory socketFactory() {
    return socketFactory;
  }

  /** The stable MQTT client id, so the broker keeps the session across restarts. */
  public String clientId() {
    return "twinpath-" + device.value();
  }

  @Override
  public String toString() {
    return "LinkSettings[" + brokerUrl + ", " + device + ", " + role + ", user=" + username + "]";
  }

  /** Checks each value as it is set. */
  public static final class Builder {
    private @Nullable String brokerUrl;
    private @Nullable DeviceId device;
    private String role = "device";
    private @Nullable Path dataDir;
    private int maxInflight = 32;
    private Duration keepAlive = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private @Nullable String username;
    private @Nullable Supplier<char[]> password;
    private @Nullable SocketFactory socketFactory;

    private Builder() {}

    /** {@code tcp://host:port} or {@code ssl://host:port}. */
    public Builder brokerUrl(String url) {
      Objects.requireNonNull(url, "broker url");
      try {
        URI u = new URI(url);
        String scheme = u.getScheme();
        if (scheme == null
            || !Arrays.asList("tcp", "ssl").contains(scheme)
            || u.getHost() == null
            || u.getPort() < 1) {
          throw new URISyntaxException(url, "bad scheme, host or port");
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "broker url '" + url + "' is not accepted; use tcp://host:port or ssl://host:port");
      }
      this.brokerUrl = url;
      return this;
    }

    public Builder device(DeviceId device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    public Builder role(String role) {
      if (role.isBlank()) {
        throw new IllegalArgumentException("role must not be blank");
      }
      this.role = role;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Publishes awaiting the broker's acknowledgement at once (1-1000; default 32). */
    public Builder maxInflight(int n) {
      if (n < 1 || n > 1000) {
        throw new IllegalArgumentException("maxInflight " + n + " is not accepted; use 1 to 1000");
      }
      this.maxInflight = n;
      return this;
    }

    /** MQTT keep-alive (1 s to 1 h; default 10 s): how fast the broker notices a dead link. */
    public Builder keepAlive(Duration d) {
      if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "keepAlive " + d + " is not accepted; use 1 second to 1 hour");
      }
      this.keepAlive = d;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(
            "connectTimeout " + d + " is not accepted; use 1 second to 5 minutes");
      }
      this.connectTimeout = d;
      return this;
    }

    /** Broker username and password (the password supplier is called at each connect). */
    public Builder credentials(String username, Supplier<char[]> password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    public Builder socketFactory(SocketFactory factory) {
      this.socketFactory = Objects.requireNonNull(factory, "socketFactory");
      return this;
    }

    public LinkSettings build() {
      return new LinkSettings(this);
    }
  }
}
