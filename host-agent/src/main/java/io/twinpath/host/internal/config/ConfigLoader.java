package io.twinpath.host.internal.config;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.core.inbound.FetchSettings;
import io.twinpath.core.item.Envelope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code host.conf} into a {@link HostConfig}: the one place where settings are parsed and
 * checked. The format follows msmtp: one {@code key value} per line, {@code #} comment lines, a
 * {@code defaults} block, {@code account NAME [: PARENT[, PARENT]]} blocks, and a {@code twinpath}
 * block for this product's own settings. Every error names the file and line, the key, the value
 * (never for passwords) and what is accepted.
 */
public final class ConfigLoader {
  /** Account keys, in the order the documentation lists them. */
  static final List<String> ACCOUNT_KEYS =
      List.of(
          "host",
          "port",
          "tls",
          "user",
          "password",
          "passwordeval",
          "password_command",
          "from",
          "timeout");

  /** Keys of the {@code twinpath} block. */
  static final List<String> TWINPATH_KEYS =
      List.of(
          "device",
          "peers",
          "account",
          "broker",
          "broker_user",
          "broker_password",
          "broker_passwordeval",
          "broker_tls",
          "data_dir",
          "spool",
          "maildir",
          "listen",
          "size_limit",
          "expiry",
          "backoff",
          "backoff_max",
          "domain",
          "inbound",
          "inbound_host",
          "inbound_port",
          "inbound_tls",
          "inbound_user",
          "inbound_password",
          "inbound_passwordeval",
          "inbound_folder",
          "inbound_delete",
          "inbound_poll",
          "inbound_retention");

  /** msmtp keys people copy over that have no meaning here. */
  private static final Set<String> MSMTP_ONLY =
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

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?");
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,12})\\s*([KMG]?)(i?B)?", Pattern.CASE_INSENSITIVE);
  private static final long DEFAULT_SIZE_LIMIT = 25L * 1024 * 1024;

  private final XdgDirs dirs;
  private final String fileName;

  private ConfigLoader(XdgDirs dirs, String fileName) {
    this.dirs = dirs;
    this.fileName = fileName;
  }

  /**
   * Loads the config file: {@code explicit} when given (it must exist), otherwise the XDG default
   * ({@code $XDG_CONFIG_HOME/twinpath/host.conf}), and all defaults when that does not exist.
   */
  public static HostConfig load(@Nullable Path explicit, XdgDirs dirs) throws ConfigException {
    Path file = explicit != null ? explicit : dirs.defaultConfigFile();
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (NoSuchFileException e) {
      if (explicit != null) {
        throw new ConfigException(
            "the config file " + file + " does not exist; give an existing file to --config");
      }
      return parse("", null, dirs);
    } catch (CharacterCodingException e) {
      throw new ConfigException("the config file " + file + " is not valid UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException("the config file " + file + " cannot be read: " + e, e);
    }
    return parse(text, file, dirs);
  }

  /** Parses config text; {@code file} names it in messages (null: no file, all defaults). */
  public static HostConfig parse(String text, @Nullable Path file, XdgDirs dirs)
      throws ConfigException {
    ConfigLoader loader =
        new ConfigLoader(dirs, file == null ? "(defaults)" : file.getFileName().toString());
    return loader.run(text, file);
  }

  /** One {@code key value} line. */
  private record Line(int number, String key, String value) {}

  /** A block: {@code defaults}, {@code account}, or {@code twinpath}. */
  private static final class Block {
    final String kind;
    final String name;
    final int line;
    final List<String> parents;
    final Map<String, Line> keys = new LinkedHashMap<>();

    Block(String kind, String name, int line, List<String> parents) {
      this.kind = kind;
      this.name = name;
      this.line = line;
      this.parents = parents;
    }
  }

  private String at(int line) {
    return fileName + ":" + line;
  }

  private ConfigException bad(Line l, String accepted) {
    return new ConfigException(
        at(l.number) + ": " + l.key + " '" + printable(l.value) + "' is not accepted; " + accepted);
  }

  private HostConfig run(String text, @Nullable Path file) throws ConfigException {
    Block defaults = new Block("defaults", "defaults", 0, List.of());
    Block twinpath = new Block("twinpath", "twinpath", 0, List.of());
    Map<String, Block> accounts = new LinkedHashMap<>();
    Block current = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      String raw = lines[i].strip();
      if (raw.isEmpty() || raw.startsWith("#")) {
        continue;
      }
      String key;
      String rest;
      int sp = indexOfWhitespace(raw);
      if (sp < 0) {
        key = raw;
        rest = "";
      } else {
        key = raw.substring(0, sp);
        rest = raw.substring(sp).strip();
      }
      key = key.toLowerCase(Locale.ROOT);
      switch (key) {
        case "defaults":
          requireNoValue(n, key, rest);
          current = defaults;
          continue;
        case "twinpath":
          requireNoValue(n, key, rest);
          current = twinpath;
          continue;
        case "account":
          if (current == twinpath) {
            break; // the twinpath block's "account NAME" chooses the account
          }
          current = accountHeader(n, rest, accounts);
          continue;
        default:
          break;
      }
      String value = unquote(n, key, rest);
      Line line = new Line(n, key, value);
      if (current == null) {
        throw new ConfigException(
            at(n)
                + ": '"
                + key
                + "' comes before any block; start with a 'defaults', 'account NAME' or"
                + " 'twinpath' line");
      }
      List<String> allowed = current == twinpath ? TWINPATH_KEYS : ACCOUNT_KEYS;
      if (!allowed.contains(key)) {
        throw unknownKey(line, current, allowed);
      }
      if (value.isEmpty()) {
        throw new ConfigException(at(n) + ": '" + key + "' has no value; " + expected(key));
      }
      Line before = current.keys.put(key, line);
      if (before != null) {
        throw new ConfigException(
            at(n)
                + ": '"
                + key
                + "' is set twice in "
                + describe(current)
                + " (first on line "
                + before.number
                + "); keep one");
      }
      checkAccountPasswordPair(current);
      // check each value as it is read, so the error points at its line
      if (current == twinpath) {
        checkTwinpathValue(line);
      } else {
        checkAccountValue(line);
      }
    }
    return build(file, defaults, accounts, twinpath);
  }

  private void checkAccountPasswordPair(Block b) throws ConfigException {
    Line pw = b.keys.get("password");
    Line eval = b.keys.get("passwordeval");
    Line cmd = b.keys.get("password_command");
    List<Line> set = new ArrayList<>();
    for (Line l : new Line[] {pw, eval, cmd}) {
      if (l != null) {
        set.add(l);
      }
    }
    if (set.size() > 1) {
      Line later = set.get(0).number > set.get(1).number ? set.get(0) : set.get(1);
      throw new ConfigException(
          at(later.number)
              + ": "
              + describe(b)
              + " sets both '"
              + set.get(0).key
              + "' and '"
              + set.get(1).key
              + "'; keep one way of giving the password");
    }
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private void requireNoValue(int n, String key, String rest) throws ConfigException {
    if (!rest.isEmpty()) {
      throw new ConfigException(
          at(n)
              + ": '"
              + key
              + "' starts a block and takes no value, but '"
              + printable(rest)
              + "' follows it; put settings on the lines below");
    }
  }

  private Block accountHeader(int n, String rest, Map<String, Block> accounts)
      throws ConfigException {
    String name = rest;
    List<String> parents = new ArrayList<>();
    int colon = rest.indexOf(':');
    if (colon >= 0) {
      name = rest.substring(0, colon).strip();
      for (String p : rest.substring(colon + 1).split(",")) {
        String parent = p.strip();
        if (parent.isEmpty()) {
          throw new ConfigException(
              at(n)
                  + ": account '"
                  + printable(rest)
                  + "' has an empty parent name; write 'account NAME : OTHER[, OTHER]'");
        }
        if (!accounts.containsKey(parent)) {
          throw new ConfigException(
              at(n)
                  + ": account '"
                  + name
                  + "' inherits from '"
                  + printable(parent)
                  + "', which is not defined above it; accounts defined so far: "
                  + (accounts.isEmpty() ? "none" : String.join(", ", accounts.keySet())));
        }
        parents.add(parent);
      }
    }
    if (!name.matches("[A-Za-z0-9._@+-]{1,64}")) {
      throw new ConfigException(
          at(n)
              + ": account name '"
              + printable(name)
              + "' is not accepted; use 1-64 letters, digits and . _ @ + -");
    }
    if (accounts.containsKey(name)) {
      throw new ConfigException(
          at(n)
              + ": account '"
              + name
              + "' is defined twice (first on line "
              + accounts.get(name).line
              + "); give each account its own name");
    }
    Block b = new Block("account", name, n, List.copyOf(parents));
    accounts.put(name, b);
    return b;
  }

  private String unquote(int n, String key, String rest) throws ConfigException {
    if (!rest.startsWith("\"")) {
      return rest;
    }
    StringBuilder b = new StringBuilder();
    int i = 1;
    while (i < rest.length()) {
      char c = rest.charAt(i);
      if (c == '\\' && i + 1 < rest.length()) {
        b.append(rest.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '"') {
        if (i != rest.length() - 1) {
          throw new ConfigException(
              at(n)
                  + ": '"
                  + key
                  + "' has text after its closing quote; quote the whole value, and write \\\" for"
                  + " a quote inside it");
        }
        return b.toString();
      }
      b.append(c);
      i++;
    }
    throw new ConfigException(
        at(n) + ": '" + key + "' has an opening quote but no closing quote on the same line");
  }

  private ConfigException unknownKey(Line l, Block block, List<String> allowed) {
    if (MSMTP_ONLY.contains(l.key)) {
      String hint =
          l.key.equals("tls_starttls")
              ? "; write 'tls starttls' (STARTTLS, port 587) or 'tls on' (TLS from the first byte,"
                  + " port 465)"
              : "; remove it";
      return new ConfigException(
          at(l.number)
              + ": '"
              + l.key
              + "' is an msmtp setting that twinpath-host does not use"
              + hint);
    }
    List<String> other = allowed == TWINPATH_KEYS ? ACCOUNT_KEYS : TWINPATH_KEYS;
    String where =
        other.contains(l.key)
            ? " ('"
                + l.key
                + "' belongs in "
                + (other == TWINPATH_KEYS ? "the 'twinpath' block" : "an account block")
                + ")"
            : "";
    return new ConfigException(
        at(l.number)
            + ": unknown key '"
            + printable(l.key)
            + "' in "
            + describe(block)
            + where
            + "; accepted keys there: "
            + String.join(", ", allowed));
  }

  private static String describe(Block b) {
    switch (b.kind) {
      case "account":
        return "account '" + b.name + "'";
      case "defaults":
        return "the 'defaults' block";
      default:
        return "the 'twinpath' block";
    }
  }

  private static String expected(String key) {
    switch (key) {
      case "host":
        return "give the submission server's host name, e.g. smtp.example.org";
      case "port":
      case "broker_port":
        return "give a TCP port 1-65535";
      case "tls":
        return "give starttls, on or off";
      case "broker_tls":
        return "give on or off";
      case "user":
      case "broker_user":
        return "give the login name";
      case "password":
      case "broker_password":
        return "give the password, or use passwordeval with a command that prints it";
      case "passwordeval":
      case "password_command":
      case "broker_passwordeval":
        return "give a shell command that prints the password, e.g. pass show mail/work";
      case "from":
        return "give an address like alice@example.org";
      default:
        return "see docs/host.md for what '" + key + "' accepts";
    }
  }

  // ---------------------------------------------------------------- value checks

  private void checkAccountValue(Line l) throws ConfigException {
    switch (l.key) {
      case "host":
        hostName(l);
        break;
      case "port":
        port(l, 1);
        break;
      case "tls":
        tls(l);
        break;
      case "user":
        noControl(l, "a login name without control characters");
        break;
      case "from":
        address(l);
        break;
      case "timeout":
        duration(l, Duration.ofSeconds(1), Duration.ofMinutes(10));
        break;
      default:
        break; // passwords: any non-empty value
    }
  }

  private void checkTwinpathValue(Line l) throws ConfigException {
    switch (l.key) {
      case "device":
        deviceId(l, l.value);
        break;
      case "peers":
        peers(l);
        break;
      case "account":
        break; // checked against the accounts once all are read
      case "broker":
        brokerUrl(l);
        break;
      case "broker_user":
        noControl(l, "a login name without control characters");
        break;
      case "broker_tls":
        onOff(l);
        break;
      case "data_dir":
      case "spool":
      case "maildir":
        path(l);
        break;
      case "listen":
        listen(l);
        break;
      case "size_limit":
        size(l);
        break;
      case "expiry":
        duration(l, Duration.ofMinutes(1), Duration.ofDays(60));
        break;
      case "backoff":
        duration(l, Duration.ofSeconds(1), Duration.ofHours(1));
        break;
      case "backoff_max":
        duration(l, Duration.ofSeconds(1), Duration.ofDays(1));
        break;
      case "domain":
        domain(l);
        break;
      case "inbound":
        inboundProtocol(l);
        break;
      case "inbound_host":
        hostName(l);
        break;
      case "inbound_port":
        port(l, 1);
        break;
      case "inbound_tls":
        inboundTls(l);
        break;
      case "inbound_delete":
        onOff(l);
        break;
      case "inbound_user":
        noControl(l, "a login name without control characters");
        break;
      case "inbound_folder":
        noControl(l, "an IMAP folder name without control characters, e.g. INBOX");
        break;
      case "inbound_poll":
        duration(l, Duration.ofSeconds(10), Duration.ofHours(1));
        break;
      case "inbound_retention":
        retention(l);
        break;
      default:
        break;
    }
  }

  /** {@code inbound_retention}: how long known inbound ids are kept, or null for {@code off}. */
  private @Nullable Duration retention(Line l) throws ConfigException {
    if (l.value.strip().equalsIgnoreCase("off")) {
      return null;
    }
    return duration(l, Duration.ofDays(1), Duration.ofDays(36500));
  }

  /**
   * {@code inbound_retention}, or null when it is off or unset. Refused with a POP3 mailbox that
   * keeps its mail: such a fetch looks at every message again, and a forgotten one would be
   * delivered twice.
   */
  private @Nullable Duration inboundRetention(Map<String, Line> k, @Nullable InboundAccount in)
      throws ConfigException {
    Line l = k.get("inbound_retention");
    Duration d = l == null ? null : retention(l);
    if (d != null && in != null && !in.protocol().isImap() && !in.delete()) {
      throw bad(
          l,
          "a pop3 mailbox that keeps its mail ('inbound_delete off') shows every message again,"
              + " and a forgotten one would be delivered twice; use off, or inbound_delete on");
    }
    return d;
  }

  /** {@code inbound}: the protocol name, or null for {@code off}. */
  private @Nullable String inboundProtocol(Line l) throws ConfigException {
    String v = l.value.toLowerCase(Locale.ROOT);
    if (v.equals("imap") || v.equals("pop3") || v.equals("off")) {
      return v.equals("off") ? null : v;
    }
    throw bad(
        l,
        "give imap, pop3 or off (TLS is on by default: set inbound_tls off only for a server on"
            + " this machine)");
  }

  /** The {@code inbound} mailbox, or null when {@code inbound} is off or unset. */
  private @Nullable InboundAccount inbound(Map<String, Line> k, @Nullable Account account)
      throws ConfigException {
    Line on = k.get("inbound");
    String protocol = on == null ? null : inboundProtocol(on);
    if (protocol == null) {
      for (Line l : k.values()) {
        if (l.key.startsWith("inbound_") && !l.key.equals("inbound_retention")) {
          throw bad(
              l, "it is used only with 'inbound imap' or 'inbound pop3'; add one or remove it");
        }
      }
      return null;
    }
    Line hostLine = k.get("inbound_host");
    if (hostLine == null) {
      throw new ConfigException(
          at(on.number)
              + ": 'inbound "
              + protocol
              + "' needs the mail server; add a line like 'inbound_host imap.example.org'");
    }
    String host = hostName(hostLine);
    String tlsMode = k.containsKey("inbound_tls") ? inboundTls(k.get("inbound_tls")) : "on";
    boolean tls = tlsMode.equals("on");
    boolean starttls = tlsMode.equals("starttls");
    if (tlsMode.equals("off") && !isLoopback(host)) {
      throw bad(
          k.get("inbound_tls"),
          "TLS can be off only for a server on this machine (localhost, 127.0.0.1, ::1), or"
              + " mail and password would cross the network in clear; use on or starttls");
    }
    FetchSettings.Protocol p =
        protocol.equals("imap")
            ? (tls ? FetchSettings.Protocol.IMAPS : FetchSettings.Protocol.IMAP)
            : (tls ? FetchSettings.Protocol.POP3S : FetchSettings.Protocol.POP3);
    int port = k.containsKey("inbound_port") ? port(k.get("inbound_port"), 1) : p.defaultPort();
    String user =
        k.containsKey("inbound_user")
            ? k.get("inbound_user").value
            : account == null ? null : account.user();
    if (user == null) {
      throw new ConfigException(
          at(on.number)
              + ": 'inbound "
              + protocol
              + "' needs a login; add 'inbound_user NAME' (the SMTP account's user is used when"
              + " it has one)");
    }
    Line bp = k.get("inbound_password");
    Line bpe = k.get("inbound_passwordeval");
    if (bp != null && bpe != null) {
      throw new ConfigException(
          at(Math.max(bp.number, bpe.number))
              + ": the 'twinpath' block sets both 'inbound_password' and 'inbound_passwordeval';"
              + " keep one");
    }
    Secret password;
    if (bp != null) {
      password = Secret.literal(bp.value.toCharArray(), at(bp.number));
    } else if (bpe != null) {
      password = Secret.command(bpe.value, at(bpe.number));
    } else {
      password = account == null ? null : account.password();
    }
    Line del = k.get("inbound_delete");
    boolean delete = del != null && onOff(del);
    if (delete && protocol.equals("imap")) {
      throw bad(del, "it is for pop3 only; IMAP mail stays on the server (write off or remove it)");
    }
    Line folderLine = k.get("inbound_folder");
    if (folderLine != null && !protocol.equals("imap")) {
      throw bad(folderLine, "it is for imap only; POP3 has one mailbox (remove it)");
    }
    String folder = folderLine == null ? "INBOX" : folderLine.value;
    Duration poll =
        k.containsKey("inbound_poll")
            ? duration(k.get("inbound_poll"), Duration.ofSeconds(10), Duration.ofHours(1))
            : Duration.ofMinutes(2);
    Duration timeout = account == null ? Duration.ofSeconds(30) : account.timeout();
    return new InboundAccount(
        p, starttls, host, port, user, password, folder, delete, poll, timeout, at(on.number));
  }

  private String hostName(Line l) throws ConfigException {
    String v = l.value;
    if (HOST_NAME.matcher(v).matches() && v.length() <= 253) {
      return v;
    }
    if (v.contains(":") && v.matches("\\[?[0-9A-Fa-f:.]+]?")) {
      return v.startsWith("[") ? v.substring(1, v.length() - 1) : v;
    }
    throw bad(l, "give a host name or IP address, e.g. smtp.example.org");
  }

  private int port(Line l, int min) throws ConfigException {
    try {
      int p = Integer.parseInt(l.value);
      if (p >= min && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw bad(l, "give a TCP port " + min + "-65535");
  }

  private TlsMode tls(Line l) throws ConfigException {
    String v = l.value.toLowerCase(Locale.ROOT);
    for (TlsMode m : TlsMode.values()) {
      if (m.word().equals(v)) {
        return m;
      }
    }
    throw bad(
        l,
        "give starttls (upgrade a plain connection, usually port 587), on (TLS from the first"
            + " byte, usually port 465) or off (no TLS)");
  }

  private boolean onOff(Line l) throws ConfigException {
    String v = l.value.toLowerCase(Locale.ROOT);
    if (v.equals("on")) {
      return true;
    }
    if (v.equals("off")) {
      return false;
    }
    throw bad(l, "give on or off");
  }

  /**
   * {@code inbound_tls}: {@code on} (TLS from the first byte), {@code starttls} (the plain port
   * upgraded before the login, refused when the server does not offer it) or {@code off}.
   */
  private String inboundTls(Line l) throws ConfigException {
    String v = l.value.toLowerCase(Locale.ROOT);
    if (v.equals("on") || v.equals("starttls") || v.equals("off")) {
      return v;
    }
    throw bad(
        l,
        "give on (TLS from the first byte, ports 993/995), starttls (ports 143/110, upgraded"
            + " before the login) or off");
  }

  private String noControl(Line l, String accepted) throws ConfigException {
    for (int i = 0; i < l.value.length(); i++) {
      if (Character.isISOControl(l.value.charAt(i))) {
        throw bad(l, "give " + accepted);
      }
    }
    return l.value;
  }

  private String address(Line l) throws ConfigException {
    try {
      Envelope.of(l.value, List.of(l.value));
      return l.value;
    } catch (IllegalArgumentException e) {
      throw bad(l, "give a bare address like alice@example.org (" + e.getMessage() + ")");
    }
  }

  private DeviceId deviceId(Line l, String v) throws ConfigException {
    try {
      return DeviceId.of(v);
    } catch (IllegalArgumentException e) {
      throw bad(l, "use 1-64 lower-case letters, digits and inner dashes, e.g. laptop or dongle-1");
    }
  }

  private List<DeviceId> peers(Line l) throws ConfigException {
    List<DeviceId> out = new ArrayList<>();
    for (String p : l.value.split("[,\\s]+")) {
      if (p.isEmpty()) {
        continue;
      }
      DeviceId id;
      try {
        id = DeviceId.of(p);
      } catch (IllegalArgumentException e) {
        throw bad(
            l,
            "give device ids separated by spaces or commas, in failover order, e.g. dongle"
                + " gateway ('"
                + printable(p)
                + "' is not a device id: 1-64 lower-case letters, digits and inner dashes)");
      }
      if (out.contains(id)) {
        throw bad(l, "name each peer once ('" + p + "' appears twice)");
      }
      out.add(id);
    }
    if (out.isEmpty()) {
      throw bad(l, "name at least one peer (the device that takes the turn), e.g. dongle");
    }
    return out;
  }

  private String brokerUrl(Line l) throws ConfigException {
    String accepted =
        "give tcp://HOST:PORT or, with TLS, ssl://HOST:PORT, e.g. tcp://192.168.8.1:1883";
    URI uri;
    try {
      uri = new URI(l.value);
    } catch (URISyntaxException e) {
      throw bad(l, accepted);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!(scheme.equals("tcp") || scheme.equals("ssl"))
        || uri.getHost() == null
        || uri.getPort() < 1
        || (uri.getPath() != null && !uri.getPath().isEmpty())
        || uri.getQuery() != null
        || uri.getUserInfo() != null) {
      throw bad(l, accepted + " (the user and password go in broker_user and broker_password)");
    }
    return l.value;
  }

  private Path path(Line l) throws ConfigException {
    String v = l.value;
    Path p;
    if (v.equals("~")) {
      p = dirs.home();
    } else if (v.startsWith("~/")) {
      p = dirs.home().resolve(v.substring(2));
    } else if (v.startsWith("/")) {
      p = Path.of(v);
    } else {
      throw bad(l, "give an absolute path or one starting with ~/, e.g. ~/Maildir");
    }
    return p.normalize();
  }

  private @Nullable InetSocketAddress listen(Line l) throws ConfigException {
    String v = l.value.toLowerCase(Locale.ROOT);
    String accepted =
        "give off, a port (listens on 127.0.0.1), or a loopback address and port such as"
            + " 127.0.0.1:2525 or [::1]:2525; the listener has no authentication, so only"
            + " loopback addresses are allowed";
    if (v.equals("off")) {
      return null;
    }
    String hostPart = "127.0.0.1";
    String portPart = v;
    if (v.startsWith("[")) {
      int close = v.indexOf("]:");
      if (close < 0) {
        throw bad(l, accepted);
      }
      hostPart = v.substring(1, close);
      portPart = v.substring(close + 2);
    } else if (v.contains(":")) {
      int colon = v.lastIndexOf(':');
      hostPart = v.substring(0, colon);
      portPart = v.substring(colon + 1);
    }
    int port;
    try {
      port = Integer.parseInt(portPart);
    } catch (NumberFormatException e) {
      throw bad(l, accepted);
    }
    if (port < 0 || port > 65535) {
      throw bad(l, accepted + " (port 1-65535; 0 picks a free port)");
    }
    InetAddress address;
    try {
      if (!hostPart.equals("localhost") && !hostPart.matches("[0-9a-f:.]+")) {
        throw bad(l, accepted);
      }
      address = InetAddress.getByName(hostPart);
    } catch (UnknownHostException e) {
      throw bad(l, accepted);
    }
    if (!address.isLoopbackAddress()) {
      throw bad(l, accepted);
    }
    return new InetSocketAddress(address, port);
  }

  private long size(Line l) throws ConfigException {
    Matcher m = SIZE.matcher(l.value.strip());
    String accepted =
        "give a size from 1K to 1G: a number of bytes, or with K, M or G (binary multiples),"
            + " e.g. 25M";
    if (!m.matches()) {
      throw bad(l, accepted);
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "K":
        n *= 1024;
        break;
      case "M":
        n *= 1024 * 1024;
        break;
      case "G":
        n *= 1024L * 1024 * 1024;
        break;
      default:
        break;
    }
    if (n < 1024 || n > 1024L * 1024 * 1024) {
      throw bad(l, accepted);
    }
    return n;
  }

  private Duration duration(Line l, Duration min, Duration max) throws ConfigException {
    Matcher m = DURATION.matcher(l.value.strip());
    String accepted =
        "give a duration from "
            + human(min)
            + " to "
            + human(max)
            + " as a number with ms, s, m, h or d, e.g. 30s, 10m, 5d";
    if (!m.matches()) {
      throw bad(l, accepted);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d;
    switch (unit) {
      case "ms":
        d = Duration.ofMillis(n);
        break;
      case "m":
        d = Duration.ofMinutes(n);
        break;
      case "h":
        d = Duration.ofHours(n);
        break;
      case "d":
        d = Duration.ofDays(n);
        break;
      default:
        d = Duration.ofSeconds(n);
        break;
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw bad(l, accepted);
    }
    return d;
  }

  static String human(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  private String domain(Line l) throws ConfigException {
    if (HOST_NAME.matcher(l.value).matches() && l.value.contains(".")) {
      return l.value;
    }
    throw bad(l, "give a domain name such as example.org");
  }

  // ---------------------------------------------------------------- assembling

  private Map<String, Line> resolve(Block b, Map<String, Block> accounts, Block defaults) {
    Map<String, Line> out = new LinkedHashMap<>(defaults.keys);
    for (String parent : b.parents) {
      Map<String, Line> inherited = resolve(accounts.get(parent), accounts, defaults);
      overlay(out, inherited);
    }
    overlay(out, b.keys);
    return out;
  }

  /** Later settings win; a password given one way replaces one given another way. */
  private static void overlay(Map<String, Line> into, Map<String, Line> from) {
    boolean newPassword =
        from.containsKey("password")
            || from.containsKey("passwordeval")
            || from.containsKey("password_command");
    if (newPassword) {
      into.remove("password");
      into.remove("passwordeval");
      into.remove("password_command");
    }
    into.putAll(from);
  }

  private Account account(Block b, Map<String, Block> accounts, Block defaults)
      throws ConfigException {
    Map<String, Line> k = resolve(b, accounts, defaults);
    Line hostLine = k.get("host");
    if (hostLine == null) {
      throw new ConfigException(
          at(b.line)
              + ": account '"
              + b.name
              + "' has no 'host'; add a line like 'host smtp.example.org' below it");
    }
    String host = hostName(hostLine);
    TlsMode tls = k.containsKey("tls") ? tls(k.get("tls")) : TlsMode.STARTTLS;
    int port = k.containsKey("port") ? port(k.get("port"), 1) : tls.defaultPort();
    if (tls == TlsMode.OFF && !isLoopback(host)) {
      Line tl = k.get("tls");
      throw new ConfigException(
          at(tl.number)
              + ": tls 'off' is not accepted for host "
              + host
              + "; mail and password would cross the network in clear. TLS can be off only for a"
              + " server on this machine (localhost, 127.0.0.1, ::1); use starttls or on");
    }
    String user = k.containsKey("user") ? k.get("user").value : null;
    Secret password = null;
    for (String pk : List.of("passwordeval", "password_command")) {
      Line pl = k.get(pk);
      if (pl != null) {
        password = Secret.command(pl.value, at(pl.number));
      }
    }
    Line pw = k.get("password");
    if (pw != null) {
      password = Secret.literal(pw.value.toCharArray(), at(pw.number));
    }
    if (password != null && user == null) {
      throw new ConfigException(
          at(b.line)
              + ": account '"
              + b.name
              + "' has a password but no 'user'; add 'user NAME' (the login) or remove the"
              + " password");
    }
    String from = k.containsKey("from") ? address(k.get("from")) : null;
    Duration timeout =
        k.containsKey("timeout")
            ? duration(k.get("timeout"), Duration.ofSeconds(1), Duration.ofMinutes(10))
            : Duration.ofSeconds(30);
    return new Account(b.name, at(b.line), host, port, tls, user, password, from, timeout);
  }

  private HostConfig build(
      @Nullable Path file, Block defaults, Map<String, Block> accounts, Block tp)
      throws ConfigException {
    Map<String, Line> k = tp.keys;
    Account account = null;
    Line chosen = k.get("account");
    if (chosen != null) {
      Block b = accounts.get(chosen.value);
      if (b == null) {
        throw bad(
            chosen,
            "name one of the accounts defined in this file: "
                + (accounts.isEmpty() ? "(none)" : String.join(", ", accounts.keySet())));
      }
      account = account(b, accounts, defaults);
    } else if (accounts.containsKey("default")) {
      account = account(accounts.get("default"), accounts, defaults);
    } else if (accounts.size() == 1) {
      account = account(accounts.values().iterator().next(), accounts, defaults);
    } else if (accounts.size() > 1) {
      throw new ConfigException(
          fileName
              + ": "
              + accounts.size()
              + " accounts ("
              + String.join(", ", accounts.keySet())
              + ") and none is chosen; add 'account NAME' to the 'twinpath' block or define"
              + " 'account default : NAME'");
    }
    // every account is checked, not only the chosen one, so a typo anywhere is found now
    for (Block b : accounts.values()) {
      account(b, accounts, defaults);
    }

    DeviceId device =
        k.containsKey("device") ? deviceId(k.get("device"), k.get("device").value) : laptop();
    List<DeviceId> peers =
        k.containsKey("peers") ? peers(k.get("peers")) : List.of(DeviceId.of("dongle"));
    if (peers.contains(device)) {
      throw bad(
          k.get("peers"),
          "list the other devices only; '" + device + "' is this device (set by 'device')");
    }

    String url = k.containsKey("broker") ? brokerUrl(k.get("broker")) : "tcp://127.0.0.1:1883";
    Line tlsLine = k.get("broker_tls");
    if (tlsLine != null) {
      boolean on = onOff(tlsLine);
      if (on && url.startsWith("tcp://")) {
        url = "ssl://" + url.substring("tcp://".length());
      } else if (!on && url.startsWith("ssl://")) {
        throw bad(
            tlsLine,
            "the broker URL "
                + url
                + " asks for TLS (ssl://); write broker_tls on, or a tcp:// URL for no TLS");
      }
    }
    String brokerUser = k.containsKey("broker_user") ? k.get("broker_user").value : null;
    Secret brokerPassword = null;
    Line bp = k.get("broker_password");
    Line bpe = k.get("broker_passwordeval");
    if (bp != null && bpe != null) {
      throw new ConfigException(
          at(Math.max(bp.number, bpe.number))
              + ": the 'twinpath' block sets both 'broker_password' and 'broker_passwordeval';"
              + " keep one");
    }
    if (bp != null) {
      brokerPassword = Secret.literal(bp.value.toCharArray(), at(bp.number));
    } else if (bpe != null) {
      brokerPassword = Secret.command(bpe.value, at(bpe.number));
    }
    if (brokerPassword != null && brokerUser == null) {
      throw new ConfigException(
          at((bp != null ? bp : bpe).number)
              + ": a broker password is set but no 'broker_user'; add 'broker_user NAME'");
    }

    Path dataDir = k.containsKey("data_dir") ? path(k.get("data_dir")) : dirs.dataDir();
    Path spool = k.containsKey("spool") ? path(k.get("spool")) : dataDir.resolve("spool");
    Path maildir =
        k.containsKey("maildir") ? path(k.get("maildir")) : dirs.home().resolve("Maildir");
    InetSocketAddress listen = k.containsKey("listen") ? listen(k.get("listen")) : null;
    long sizeLimit = k.containsKey("size_limit") ? size(k.get("size_limit")) : DEFAULT_SIZE_LIMIT;
    Duration expiry =
        k.containsKey("expiry")
            ? duration(k.get("expiry"), Duration.ofMinutes(1), Duration.ofDays(60))
            : Duration.ofDays(5);
    Duration backoff =
        k.containsKey("backoff")
            ? duration(k.get("backoff"), Duration.ofSeconds(1), Duration.ofHours(1))
            : Duration.ofSeconds(30);
    Duration backoffMax =
        k.containsKey("backoff_max")
            ? duration(k.get("backoff_max"), Duration.ofSeconds(1), Duration.ofDays(1))
            : Duration.ofMinutes(10);
    if (backoffMax.compareTo(backoff) < 0) {
      Line l = k.containsKey("backoff_max") ? k.get("backoff_max") : k.get("backoff");
      throw bad(
          l,
          "backoff_max ("
              + human(backoffMax)
              + ") must be at least backoff ("
              + human(backoff)
              + ")");
    }
    String domain;
    if (k.containsKey("domain")) {
      domain = domain(k.get("domain"));
    } else if (account != null && account.from() != null) {
      String f = account.from();
      domain = f.substring(f.lastIndexOf('@') + 1);
    } else {
      domain = localHostName();
    }
    InboundAccount inbound = inbound(k, account);
    return new HostConfig(
        file,
        device,
        peers,
        account,
        new BrokerSettings(url, brokerUser, brokerPassword),
        dataDir,
        spool,
        maildir,
        listen,
        sizeLimit,
        expiry,
        backoff,
        backoffMax,
        domain,
        inbound,
        inboundRetention(k, inbound));
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }

  private static DeviceId laptop() {
    return DeviceId.of("laptop");
  }

  private static String localHostName() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      if (h.contains(".") && HOST_NAME.matcher(h).matches()) {
        return h;
      }
      return h.matches("[A-Za-z0-9-]{1,63}") ? h + ".localdomain" : "localhost.localdomain";
    } catch (UnknownHostException e) {
      return "localhost.localdomain";
    }
  }

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 120; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    if (s.length() > 120) {
      b.append("…");
    }
    return b.toString();
  }
}
