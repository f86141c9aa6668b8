package io.twinpath.host.internal.config;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Setting;
import io.twinpath.core.config.Values;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every key of {@code host.conf}, declared once: its name, how its value is read and checked (the
 * shared {@link Values} syntax where there is one), its default, what it means, and whether it is a
 * secret. docs/host.md lists the same keys for users.
 */
final class HostKeys {
  // ---------------------------------------------------------------- account blocks

  final Setting<String> host =
      Setting.of("host", Values.hostName(), "the submission server's host name or IP address");
  final Setting<Integer> port =
      Setting.of("port", Values.port(), "587, 465 with tls on, 25 with tls off by default");
  final Setting<TlsMode> tls =
      Setting.of("tls", HostValues.smtpTls(), "how the connection is protected")
          .withDefault("starttls");
  final Setting<String> user =
      Setting.of(
          "user",
          HostValues.plainText("give a login name without control characters"),
          "the login; none means no authentication");
  final Setting<String> password =
      Setting.of("password", HostValues.password(), "the password, written in the file").asSecret();
  final Setting<String> passwordEval =
      Setting.of(
              "passwordeval",
              HostValues.passwordCommand(),
              "a shell command whose first output line is the password")
          .asSecret();
  final Setting<String> passwordCommand =
      Setting.of("password_command", HostValues.passwordCommand(), "the same as passwordeval")
          .asSecret();
  final Setting<String> from =
      Setting.of("from", HostValues.mailAddress(), "the envelope sender when a message gives none");
  final Setting<Duration> timeout =
      Setting.of(
              "timeout",
              Values.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
              "connect timeout; reads and writes wait twice as long")
          .withDefault("30s");

  // ---------------------------------------------------------------- the twinpath block

  final Setting<DeviceId> device =
      Setting.of("device", HostValues.deviceId(), "this device's id").withDefault("laptop");
  final Setting<List<DeviceId>> peers =
      Setting.of(
              "peers", HostValues.deviceIds(), "the other devices, in the order turns pass to them")
          .withDefault("dongle");
  final Setting<String> account =
      Setting.of("account", Values.text(), "the account block this laptop sends with");
  final Setting<String> broker =
      Setting.of("broker", HostValues.brokerUrl(), "the MQTT broker")
          .withDefault("tcp://127.0.0.1:1883");
  final Setting<String> brokerUser =
      Setting.of(
          "broker_user",
          HostValues.plainText("give a login name without control characters"),
          "the broker login");
  final Setting<String> brokerPassword =
      Setting.of("broker_password", HostValues.password(), "the broker password").asSecret();
  final Setting<String> brokerPasswordEval =
      Setting.of(
              "broker_passwordeval",
              HostValues.passwordCommand(),
              "a shell command that prints the broker password")
          .asSecret();
  final Setting<Boolean> brokerTls =
      Setting.of(
          "broker_tls", HostValues.onOff(), "on turns tcp:// into ssl://; by default the URL says");
  final Setting<Path> dataDir;

  /** {@code $XDG_DATA_HOME/twinpath}: {@code data_dir} when the file does not set it. */
  final Path defaultDataDir;

  final Setting<Path> spool;
  final Setting<Path> maildir;
  final Setting<Optional<InetSocketAddress>> listen =
      Setting.of("listen", HostValues.listen(), "the loopback SMTP listener").withDefault("off");
  final Setting<Long> sizeLimit =
      Setting.of(
              "size_limit",
              Values.size(1024, 1024L * 1024 * 1024),
              "the largest message accepted, in bytes")
          .withDefault("25M");
  final Setting<Duration> expiry =
      Setting.of(
              "expiry",
              Values.duration(Duration.ofMinutes(1), Duration.ofDays(60)),
              "how long a message may wait before it is reported as failed")
          .withDefault("5d");
  final Setting<Duration> backoff =
      Setting.of(
              "backoff",
              Values.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
              "the first retry delay")
          .withDefault("30s");
  final Setting<Duration> backoffMax =
      Setting.of(
              "backoff_max",
              Values.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
              "the longest retry delay, at least backoff")
          .withDefault("10m");
  final Setting<Duration> takeoverDelay =
      Setting.of(
              "takeover_delay",
              Values.duration(Duration.ZERO, Duration.ofHours(24)),
              "how long a peer may stay silent holding a turn before this laptop takes it; peers"
                  + " announce theirs and both use the shorter")
          .withDefault("30s");
  final Setting<String> domain =
      Setting.of(
          "domain",
          HostValues.domain(),
          "the domain of generated Message-IDs; by default the from address's, else this"
              + " machine's name");
  final Setting<String> inbound =
      Setting.of(
              "inbound",
              Values.oneOf("imap", "pop3", "off")
                  .map(
                      "give imap, pop3 or off (TLS is on by default: set inbound_tls off only for a"
                          + " server on this machine)",
                      s -> s),
              "fetch inbound mail into maildir")
          .withDefault("off");
  final Setting<String> inboundHost =
      Setting.of("inbound_host", Values.hostName(), "the IMAP or POP3 server");
  final Setting<Integer> inboundPort =
      Setting.of("inbound_port", Values.port(), "by default from the protocol and inbound_tls");
  final Setting<String> inboundTls =
      Setting.of(
              "inbound_tls",
              Values.oneOf("on", "starttls", "off")
                  .map(
                      "give on (TLS from the first byte, ports 993/995), starttls (ports 143/110,"
                          + " upgraded before the login) or off",
                      s -> s),
              "how the mailbox connection is protected")
          .withDefault("on");
  final Setting<String> inboundUser =
      Setting.of(
          "inbound_user",
          HostValues.plainText("give a login name without control characters"),
          "the mailbox login; by default the account's user");
  final Setting<String> inboundPassword =
      Setting.of("inbound_password", HostValues.password(), "the mailbox password").asSecret();
  final Setting<String> inboundPasswordEval =
      Setting.of(
              "inbound_passwordeval",
              HostValues.passwordCommand(),
              "a shell command that prints the mailbox password")
          .asSecret();
  final Setting<String> inboundFolder =
      Setting.of(
              "inbound_folder",
              HostValues.plainText(
                  "give an IMAP folder name without control characters, e.g. INBOX"),
              "the IMAP folder to fetch")
          .withDefault("INBOX");
  final Setting<Boolean> inboundDelete =
      Setting.of("inbound_delete", HostValues.onOff(), "pop3 only: delete fetched messages")
          .withDefault("off");
  final Setting<Duration> inboundPoll =
      Setting.of(
              "inbound_poll",
              Values.duration(Duration.ofSeconds(10), Duration.ofHours(1)),
              "how often to look for mail when the server has no IMAP IDLE")
          .withDefault("2m");
  final Setting<Optional<Duration>> inboundRetention =
      Setting.of(
              "inbound_retention",
              HostValues.offOrDuration(Duration.ofDays(1), Duration.ofDays(36500)),
              "forget the ids of delivered inbound mail after this long; off keeps them")
          .withDefault("off");

  /** Keys of an account (and the defaults) block, in the order docs/host.md lists them. */
  final List<Setting<?>> accountKeys;

  /** Keys of the {@code twinpath} block, in the order docs/host.md lists them. */
  final List<Setting<?>> twinpathKeys;

  /** Keys of which a block may set only one: the ways of giving one password. */
  final List<List<Setting<String>>> passwordGroups;

  /** msmtp keys people copy over that have no meaning here. */
  static final Set<String> MSMTP_ONLY =
      Set.of(
          "auth",
          "logfile",
          "syslog",
          "aliases",
          "tls_starttls",
          "tls_trust_file",
          "tls_certcheck",
          "tls_fingerprint",
          "tls_key_file",
          "tls_cert_file",
          "tls_crl_file",
          "tls_min_dh_prime_bits",
          "tls_priorities",
          "tls_host_override",
          "proxy_host",
          "proxy_port",
          "set_from_header",
          "set_date_header",
          "set_msgid_header",
          "remove_bcc_headers",
          "undisclosed_recipients",
          "dsn_notify",
          "dsn_return",
          "protocol",
          "domain_name",
          "source_ip",
          "socket",
          "logfile_time_format",
          "eval",
          "allow_from_override");

  /**
   * @param dirs where {@code ~} and the default directories are
   */
  HostKeys(XdgDirs dirs) {
    Path home = dirs.home();
    defaultDataDir = dirs.dataDir();
    dataDir =
        Setting.of(
            "data_dir",
            HostValues.path(home),
            "keys, paired peers, outcomes, the control socket; by default $XDG_DATA_HOME/twinpath");
    spool =
        Setting.of(
            "spool",
            HostValues.path(home),
            "where queued messages wait; by default DATA_DIR/spool");
    maildir =
        Setting.of("maildir", HostValues.path(home), "where bounces and inbound mail are delivered")
            .withDefault("~/Maildir");
    accountKeys =
        List.of(host, port, tls, user, password, passwordEval, passwordCommand, from, timeout);
    twinpathKeys =
        List.of(
            device,
            peers,
            account,
            broker,
            brokerUser,
            brokerPassword,
            brokerPasswordEval,
            brokerTls,
            dataDir,
            spool,
            maildir,
            listen,
            sizeLimit,
            expiry,
            backoff,
            backoffMax,
            takeoverDelay,
            domain,
            inbound,
            inboundHost,
            inboundPort,
            inboundTls,
            inboundUser,
            inboundPassword,
            inboundPasswordEval,
            inboundFolder,
            inboundDelete,
            inboundPoll,
            inboundRetention);
    passwordGroups =
        List.of(
            List.of(password, passwordEval, passwordCommand),
            List.of(brokerPassword, brokerPasswordEval),
            List.of(inboundPassword, inboundPasswordEval));
  }

  /** The keys a block of this kind accepts. */
  List<Setting<?>> keys(Block.Kind kind) {
    return kind == Block.Kind.TWINPATH ? twinpathKeys : accountKeys;
  }

  /** The setting {@code key} names in a block of this kind, or null when it has none. */
  @Nullable Setting<?> find(Block.Kind kind, String key) {
    for (Setting<?> s : keys(kind)) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    return null;
  }

  /** True when {@code key} is a secret in any block (for lines that cannot be read at all). */
  boolean isSecret(String key) {
    for (Block.Kind kind : Block.Kind.values()) {
      Setting<?> s = find(kind, key);
      if (s != null && s.isSecret()) {
        return true;
      }
    }
    return false;
  }
}
