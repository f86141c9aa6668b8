package io.twinpath.core.config;

import io.twinpath.core.smtp.SmtpSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value syntaxes every front end accepts (a configuration file, the Kura form, {@code --set}).
 * All are case-insensitive and ignore surrounding blanks.
 *
 * <ul>
 *   <li>Duration: a whole number with {@code ms}, {@code s}, {@code m} (or {@code min}), {@code h}
 *       or {@code d}, e.g. {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}; a bare
 *       number is seconds; ISO-8601 ({@code PT30S}) is accepted too.
 *   <li>Size: a whole number of bytes, optionally with {@code k}, {@code m}, {@code g} or {@code
 *       t}, each also written {@code kb}/{@code kib}, {@code mb}/{@code mib}, …; always binary
 *       multiples ({@code 1k} = 1024 bytes), e.g. {@code 512}, {@code 64k}, {@code 20MB}, {@code
 *       1GiB}.
 *   <li>Boolean: {@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off}.
 *   <li>Choice: one of the listed names; an enum constant {@code FOO_BAR} is written {@code
 *       foo-bar}.
 *   <li>List: items separated by commas.
 * </ul>
 */
public final class Values {
  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,12})\\s*(ms|s|m|min|h|d)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,15})\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern LITERAL_IP =
      Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(%[\\w.]+)?");
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");

  private Values() {}

  /** Any text that is not blank, stripped of surrounding blanks. */
  public static ValueParser<String> text() {
    return ValueParser.of(
        "use any text that is not blank",
        s -> {
          if (s.isEmpty()) {
            throw new IllegalArgumentException("blank");
          }
          return s;
        });
  }

  /** A duration from {@code min} to {@code max} (see the class comment for the syntax). */
  public static ValueParser<Duration> duration(Duration min, Duration max) {
    String accepted =
        "use a duration like 250ms, 30s, 5m, 2h or 7d (a bare number is seconds), from "
            + formatDuration(min)
            + " to "
            + formatDuration(max);
    return ValueParser.of(
        accepted,
        s -> {
          Duration d = parseDuration(s);
          if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range");
          }
          return d;
        });
  }

  /** A size in bytes from {@code min} to {@code max} (see the class comment for the syntax). */
  public static ValueParser<Long> size(long min, long max) {
    String accepted =
        "use a size like 512, 64k, 20m or 1g (binary multiples: 1k = 1024 bytes; kb, kib, mb,"
            + " mib, … too), from "
            + formatSize(min)
            + " to "
            + formatSize(max);
    return ValueParser.of(
        accepted,
        s -> {
          long n = parseSize(s);
          if (n < min || n > max) {
            throw new IllegalArgumentException("out of range");
          }
          return n;
        });
  }

  /**
   * A whole number from {@code min} to {@code max}.
   *
   * @param what what the number is, e.g. "a TCP port"
   */
  public static ValueParser<Integer> integer(int min, int max, String what) {
    return ValueParser.of(
        "use " + what + ", " + min + "-" + max,
        s -> {
          int n = Integer.parseInt(s);
          if (n < min || n > max) {
            throw new IllegalArgumentException("out of range");
          }
          return n;
        },
        ValueParser.Kind.INTEGER,
        List.of(),
        (long) min,
        (long) max);
  }

  /** A TCP port, 1-65535. */
  public static ValueParser<Integer> port() {
    return integer(1, 65535, "a TCP port");
  }

  /** {@code true}/{@code false}, {@code yes}/{@code no} or {@code on}/{@code off}. */
  public static ValueParser<Boolean> bool() {
    return ValueParser.of(
        "use true or false",
        s -> {
          switch (s.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
              return true;
            case "false":
            case "no":
            case "off":
              return false;
            default:
              throw new IllegalArgumentException("not a boolean");
          }
        },
        ValueParser.Kind.BOOLEAN,
        List.of(),
        null,
        null);
  }

  /** One of the enum's constants by {@link #name(Enum)}, case-insensitive. */
  public static <E extends Enum<E>> ValueParser<E> oneOf(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(name(e));
    }
    return ValueParser.of(
        "use " + orList(names),
        s -> {
          for (E e : type.getEnumConstants()) {
            if (name(e).equalsIgnoreCase(s)) {
              return e;
            }
          }
          throw new IllegalArgumentException("not a name");
        },
        ValueParser.Kind.TEXT,
        names,
        null,
        null);
  }

  /** One of {@code names}, case-insensitive; gives the name as listed. */
  public static ValueParser<String> oneOf(String... names) {
    List<String> list = List.of(names);
    return ValueParser.of(
        "use " + orList(list),
        s -> {
          for (String n : list) {
            if (n.equalsIgnoreCase(s)) {
              return n;
            }
          }
          throw new IllegalArgumentException("not a name");
        },
        ValueParser.Kind.TEXT,
        list,
        null,
        null);
  }

  /**
   * How TLS protects a connection: {@code starttls}, {@code implicit} or {@code none}; {@code on}
   * (= implicit) and {@code off} (= none) are read too, as host account blocks write them.
   */
  public static ValueParser<SmtpSettings.TlsMode> tlsMode() {
    ValueParser<SmtpSettings.TlsMode> names = oneOf(SmtpSettings.TlsMode.class);
    return ValueParser.of(
        names.accepted(),
        s -> {
          switch (s.toLowerCase(Locale.ROOT)) {
            case "on":
              return SmtpSettings.TlsMode.IMPLICIT;
            case "off":
              return SmtpSettings.TlsMode.NONE;
            default:
              return names.parse("tls", s);
          }
        },
        ValueParser.Kind.TEXT,
        names.options(),
        null,
        null);
  }

  /** How a constant is written in a setting: lower case, {@code _} as {@code -}. */
  public static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Items separated by commas, each read by {@code item}; blank text is an empty list. */
  public static <T> ValueParser<List<T>> listOf(ValueParser<T> item) {
    return ValueParser.of(
        "give a comma-separated list; each item: " + item.accepted(),
        s -> {
          List<T> out = new ArrayList<>();
          if (s.isEmpty()) {
            return List.copyOf(out);
          }
          for (String part : s.split(",", -1)) {
            out.add(item.parse("item", part));
          }
          return List.copyOf(out);
        });
  }

  /** A DNS host name or a literal IP address (IPv6 with or without brackets), not resolved. */
  public static ValueParser<String> hostName() {
    return ValueParser.of(
        "use a host name like smtp.example.org or an IP address",
        s -> {
          if (HOST_NAME.matcher(s).matches() && s.length() <= 253) {
            return s;
          }
          if (s.contains(":") && s.matches("\\[?[0-9A-Fa-f:.]+]?")) {
            return s.startsWith("[") ? s.substring(1, s.length() - 1) : s;
          }
          throw new IllegalArgumentException("not a host name");
        });
  }

  /** A literal IPv4 or IPv6 address; nothing is looked up. */
  public static ValueParser<InetAddress> ipAddress() {
    return ValueParser.of(
        "use a literal IP address such as 127.0.0.1, 0.0.0.0, 192.168.7.1 or ::1",
        Values::literalAddress);
  }

  /**
   * {@code host:port}, {@code [v6-address]:port}, or {@code host} alone for {@code defaultPort};
   * unresolved.
   */
  public static ValueParser<InetSocketAddress> hostPort(int defaultPort) {
    ValueParser<String> host = hostName();
    return ValueParser.of(
        "use host:port, e.g. mail.example.org:587 or [::1]:1883 (port 1-65535)",
        s -> {
          String h = s;
          int port = defaultPort;
          if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
              throw new IllegalArgumentException("no ]");
            }
            h = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
              if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("no port");
              }
              port = Integer.parseInt(rest.substring(1));
            }
          } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            h = s.substring(0, s.indexOf(':'));
            port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
          }
          if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
          }
          return InetSocketAddress.createUnresolved(host.parse("host", h), port);
        });
  }

  /** An absolute file system path. */
  public static ValueParser<Path> absolutePath() {
    return ValueParser.of(
        "give an absolute path, e.g. /var/lib/twinpath",
        s -> {
          try {
            Path p = Path.of(s);
            if (!p.isAbsolute()) {
              throw new IllegalArgumentException("relative");
            }
            return p;
          } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
          }
        });
  }

  /**
   * A duration in this syntax (without a range check).
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static Duration parseDuration(String text) {
    String s = text.strip();
    Matcher m = DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
      switch (unit) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
        case "min":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      Duration d = Duration.parse(s);
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration: " + text);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: " + text, e);
    }
  }

  /**
   * A size in this syntax, in bytes (without a range check).
   *
   * @throws IllegalArgumentException when it is not one or exceeds 8 EiB
   */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    long n = Long.parseLong(m.group(1));
    int shift;
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k":
        shift = 10;
        break;
      case "m":
        shift = 20;
        break;
      case "g":
        shift = 30;
        break;
      case "t":
        shift = 40;
        break;
      default:
        shift = 0;
    }
    if (n > Long.MAX_VALUE >> shift) {
      throw new IllegalArgumentException("too large: " + text);
    }
    return n << shift;
  }

  /** A duration as this syntax writes it, in its largest whole unit: 250ms, 30s, 5m, 2h, 7d. */
  public static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0 || ms == 0) {
      return ms == 0 ? "0s" : ms + "ms";
    }
    long s = d.getSeconds();
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

  /** A size as this syntax writes it, in its largest whole unit: 512, 64KB, 20MB, 1GB, 1TB. */
  public static String formatSize(long bytes) {
    String[] units = {"TB", "GB", "MB", "KB"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return Long.toString(bytes);
  }

  private static InetAddress literalAddress(String s) {
    if (s.isEmpty() || !LITERAL_IP.matcher(s).matches()) {
      throw new IllegalArgumentException("not a literal address");
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address", e);
    }
  }

  /** "a", "a or b", "a, b or c". */
  static String orList(List<String> names) {
    Objects.requireNonNull(names);
    if (names.size() <= 1) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1))
        + " or "
        + names.get(names.size() - 1);
  }
}
