package io.twinpath.secondary;

import io.twinpath.core.config.SettingException;
import io.twinpath.core.config.Values;
import io.twinpath.core.inbound.FetchPolicy;
import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code inbound.*} settings of a secondary, as both front ends (the dongle's config file, the
 * Kura form) give them: read once here, checked together, and mapped onto {@link FetchSettings} and
 * {@link SecondarySettings.Inbound}. Each front end parses its own number, duration and size syntax
 * and hands the values over; a value that is not accepted fails with a {@link SettingException}
 * naming the key and the value.
 *
 * <p>{@code inbound.tls}: {@code implicit} (TLS from the first byte, {@code imaps}/{@code pop3s},
 * ports 993/995), {@code starttls} (plain {@code imap}/{@code pop3} on ports 143/110 upgraded with
 * STARTTLS before the login; a server that does not offer it is refused, never used in the clear)
 * or {@code none}.
 */
public final class InboundConfig {

  private final FetchSettings.Protocol protocol;
  private final TlsMode tls;
  private final String host;
  private final int port;
  private final String username;
  private final Supplier<char[]> password;
  private final String folder;
  private final boolean delete;
  private final @Nullable Path truststore;
  private final Supplier<char[]> truststorePassword;
  private final FetchPolicy policy;
  private final Duration poll;
  private final long budgetBytes;

  private InboundConfig(Builder b, FetchSettings.Protocol protocol, int port, long budget) {
    this.protocol = protocol;
    this.tls = b.tls;
    this.host = b.host;
    this.port = port;
    this.username = b.username;
    this.password = b.password;
    this.folder = b.folder;
    this.delete = b.delete;
    this.truststore = b.truststore;
    this.truststorePassword = b.truststorePassword;
    this.policy = b.policy;
    this.poll = b.poll;
    this.budgetBytes = budget;
  }

  /**
   * Starts reading {@code inbound.protocol}: {@code imap}, {@code pop3} or {@code off}.
   *
   * @return null when it is {@code off}
   */
  public static @Nullable Builder builder(String protocol) {
    String p = protocol.strip().toLowerCase(Locale.ROOT);
    return switch (p) {
      case "off", "" -> null;
      case "imap", "pop3" -> new Builder(p.equals("imap"));
      default ->
          throw new SettingException(
              "inbound.protocol", protocol, "use imap, pop3 or off (TLS is chosen by inbound.tls)");
    };
  }

  /** {@code imaps}/{@code pop3s} with implicit TLS, plain {@code imap}/{@code pop3} otherwise. */
  public FetchSettings.Protocol protocol() {
    return protocol;
  }

  public TlsMode tls() {
    return tls;
  }

  public boolean starttls() {
    return tls == TlsMode.STARTTLS;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String username() {
    return username;
  }

  public String folder() {
    return folder;
  }

  public boolean delete() {
    return delete;
  }

  public @Nullable Path truststore() {
    return truststore;
  }

  public FetchPolicy policy() {
    return policy;
  }

  public Duration poll() {
    return poll;
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  /** The mailbox account, before the path's route is applied (a fresh builder each call). */
  public FetchSettings.Builder fetch() {
    FetchSettings.Builder b =
        FetchSettings.builder()
            .protocol(protocol)
            .host(host)
            .port(port)
            .username(username)
            .password(password)
            .starttls(tls == TlsMode.STARTTLS)
            .deleteAfterDownload(delete)
            .pollInterval(poll);
    if (protocol.isImap()) {
      b.folder(folder);
    }
    Path ts = truststore;
    if (ts != null) {
      char[] pw = truststorePassword.get();
      try {
        b.trustStore(ts, pw);
      } finally {
        java.util.Arrays.fill(pw, '\0');
      }
    }
    return b;
  }

  /** What the secondary runs: this mailbox, its policy and budget. */
  public SecondarySettings.Inbound inbound() {
    return SecondarySettings.Inbound.of(this::fetch, policy, budgetBytes);
  }

  /** One line for the log, never a password. */
  @Override
  public String toString() {
    return protocol.scheme()
        + "://"
        + username
        + "@"
        + host
        + ":"
        + port
        + (protocol.isImap() ? "/" + folder : "")
        + " (tls "
        + tls.name().toLowerCase(Locale.ROOT)
        + ", "
        + (policy == FetchPolicy.ALWAYS ? "always" : "while-host-unavailable")
        + ", poll "
        + poll.toSeconds()
        + " s, budget "
        + budgetBytes
        + " bytes"
        + (delete ? ", delete" : "")
        + ")";
  }

  /** Collects the values; {@link #build(long)} checks them together. */
  public static final class Builder {
    private final boolean imap;
    private TlsMode tls = SettingsTable.INBOUND_TLS.defaultValue().orElseThrow();
    private String tlsValue = "implicit";
    private String host = "";
    private @Nullable Integer port;
    private String username = "";
    private Supplier<char[]> password = () -> new char[0];
    private String folder = SettingsTable.INBOUND_FOLDER.defaultValue().orElseThrow();
    private boolean delete;
    private @Nullable Path truststore;
    private Supplier<char[]> truststorePassword = () -> new char[0];
    private FetchPolicy policy = SettingsTable.INBOUND_POLICY.defaultValue().orElseThrow();
    private Duration poll = SettingsTable.INBOUND_POLL.defaultValue().orElseThrow();
    private @Nullable Long budget;

    private Builder(boolean imap) {
      this.imap = imap;
    }

    /** {@code inbound.tls}: {@code implicit}, {@code starttls} or {@code none}; empty: implicit. */
    public Builder tls(String value) {
      tls =
          value.isBlank()
              ? SettingsTable.INBOUND_TLS.defaultValue().orElseThrow()
              : SettingsTable.INBOUND_TLS.parse(value);
      tlsValue = value;
      return this;
    }

    /** {@code inbound.host} (required). */
    public Builder host(String value) {
      host = value.strip();
      return this;
    }

    /** {@code inbound.port}; null: 993/995 with implicit TLS, 143/110 otherwise. */
    public Builder port(@Nullable Integer value) {
      port = value == null ? null : SettingsTable.INBOUND_PORT.parse(value.toString());
      return this;
    }

    /** {@code inbound.username} (required). */
    public Builder username(String value) {
      username = value.strip();
      return this;
    }

    /** {@code inbound.password}; read each time the fetch logs in. */
    public Builder password(Supplier<char[]> value) {
      password = Objects.requireNonNull(value, "password");
      return this;
    }

    /** {@code inbound.folder} (imap only; {@code INBOX} is what pop3 has too). */
    public Builder folder(String value) {
      String v = value.strip();
      if (!v.isEmpty() && !v.equalsIgnoreCase("INBOX") && !imap) {
        throw new SettingException("inbound.folder", value, "it is for imap only; remove it");
      }
      folder = v.isEmpty() ? "INBOX" : v;
      return this;
    }

    /** {@code inbound.delete} (pop3 only). */
    public Builder delete(boolean value) {
      if (value && imap) {
        throw new SettingException(
            "inbound.delete",
            "true",
            "it is for pop3 only; IMAP mail stays on the server (use false)");
      }
      delete = value;
      return this;
    }

    /** {@code inbound.truststore} and its password; null: the JDK's authorities. */
    public Builder truststore(@Nullable Path file, Supplier<char[]> filePassword) {
      if (file != null && !Files.isReadable(file)) {
        throw new SettingException(
            "inbound.truststore", file.toString(), "name a readable PKCS12 or JKS trust store");
      }
      truststore = file;
      truststorePassword = Objects.requireNonNull(filePassword, "filePassword");
      return this;
    }

    /**
     * {@code inbound.policy}: {@code always} or {@code while-host-unavailable}; empty: the latter.
     */
    public Builder policy(String value) {
      policy =
          value.isBlank()
              ? SettingsTable.INBOUND_POLICY.defaultValue().orElseThrow()
              : SettingsTable.INBOUND_POLICY.parse(value);
      return this;
    }

    /** {@code inbound.poll}, 10 s to 1 h. */
    public Builder poll(Duration value) {
      SettingsTable.INBOUND_POLL.parse(Values.formatDuration(value));
      poll = value;
      return this;
    }

    /** {@code inbound.budget} in bytes; null: a quarter of the storage budget (at least 1MB). */
    public Builder budget(@Nullable Long bytes) {
      budget = bytes;
      return this;
    }

    /**
     * Checks the values together.
     *
     * @param storageBudget {@code storage.budget}: the inbound budget is a part of it
     */
    public InboundConfig build(long storageBudget) {
      String proto = imap ? "imap" : "pop3";
      if (host.isEmpty()) {
        throw new SettingException(
            "inbound.host",
            null,
            "inbound.protocol = " + proto + " needs the mail server, e.g. imap.example.org");
      }
      if (host.length() > 253
          || !host.matches(
              "[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9a-fA-F:.]+\\]|[0-9a-fA-F:.]+")
          || host.contains("..")) {
        throw new SettingException(
            "inbound.host", host, "use a host name like imap.example.org or an IP address");
      }
      if (username.isEmpty()) {
        throw new SettingException(
            "inbound.username", null, "inbound.protocol is set, so give the mailbox's user name");
      }
      Path ts = truststore;
      if (ts != null && tls == TlsMode.NONE) {
        throw new SettingException(
            "inbound.truststore",
            ts.toString(),
            "it applies only with inbound.tls = implicit or starttls (now " + tlsValue + ")");
      }
      FetchSettings.Protocol protocol =
          imap
              ? (tls == TlsMode.IMPLICIT
                  ? FetchSettings.Protocol.IMAPS
                  : FetchSettings.Protocol.IMAP)
              : (tls == TlsMode.IMPLICIT
                  ? FetchSettings.Protocol.POP3S
                  : FetchSettings.Protocol.POP3);
      Integer p = port;
      int resolvedPort = p != null ? p : protocol.defaultPort();
      Long given = budget;
      long b = given != null ? given : Math.max(1L << 20, storageBudget / 4);
      if (b < 1L << 20 || b > storageBudget) {
        throw new SettingException(
            "inbound.budget",
            given == null ? b + " bytes" : given + " bytes",
            "use 1MB up to storage.budget (" + storageBudget + " bytes)");
      }
      return new InboundConfig(this, protocol, resolvedPort, b);
    }
  }
}
