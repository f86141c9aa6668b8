package io.twinpath.host.internal.config;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.ValueParser;
import io.twinpath.core.config.Values;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The value syntaxes only the host's file has, next to the shared ones in {@link Values}: each
 * fails with an {@link IllegalArgumentException} that {@link ValueParser} turns into the shared
 * error shape.
 */
final class HostValues {
  private HostValues() {}

  /** Text without control characters. */
  static ValueParser<String> plainText(String accepted) {
    return Values.text()
        .map(
            accepted,
            s -> {
              for (int i = 0; i < s.length(); i++) {
                if (Character.isISOControl(s.charAt(i))) {
                  throw new IllegalArgumentException("control character");
                }
              }
              return s;
            });
  }

  /** A shell command that prints a password. */
  static ValueParser<String> passwordCommand() {
    return Values.text()
        .map("give a shell command that prints the password, e.g. pass show mail/work", s -> s);
  }

  /** A password written in the file. */
  static ValueParser<String> password() {
    // any text: the password is taken from the line as written, blanks included
    return ValueParser.of(
        "give the password, or use passwordeval with a command that prints it", s -> s);
  }

  /** A bare mail address, as an SMTP envelope takes it. */
  static ValueParser<String> mailAddress() {
    return ValueParser.of(
        "give a bare address like alice@example.org",
        s -> {
          Envelope.of(s, List.of(s));
          return s;
        });
  }

  /** {@code on} or {@code off}. */
  static ValueParser<Boolean> onOff() {
    return Values.oneOf("on", "off").map("use on or off", s -> s.equals("on"));
  }

  /** How the SMTP account uses TLS, in the host's words ({@code on}/{@code off}) or the core's. */
  static ValueParser<TlsMode> smtpTls() {
    ValueParser<TlsMode> shared = Values.tlsMode();
    // parsed under another key, so that a rejection reports this parser's words, not the shared
    return ValueParser.of(
        "give starttls (upgrade a plain connection, usually port 587), on (TLS from the first"
            + " byte, usually port 465) or off (no TLS); implicit and none are read as on and"
            + " off",
        s -> shared.parse("mode", s));
  }

  /** How a TLS mode is written in the host's file and output: starttls, on or off. */
  static String word(TlsMode mode) {
    switch (mode) {
      case IMPLICIT:
        return "on";
      case NONE:
        return "off";
      default:
        return "starttls";
    }
  }

  static ValueParser<DeviceId> deviceId() {
    return ValueParser.of(
        "use 1-64 lower-case letters, digits and inner dashes, e.g. laptop or dongle-1",
        DeviceId::of);
  }

  /** Device ids separated by blanks or commas; the list may be empty or repeat (checked later). */
  static ValueParser<List<DeviceId>> deviceIds() {
    return ValueParser.of(
        "give device ids separated by spaces or commas, in failover order, e.g. dongle gateway"
            + " (a device id: 1-64 lower-case letters, digits and inner dashes)",
        s -> {
          List<DeviceId> out = new ArrayList<>();
          for (String p : s.split("[,\\s]+")) {
            if (!p.isEmpty()) {
              out.add(DeviceId.of(p));
            }
          }
          return List.copyOf(out);
        });
  }

  /** {@code tcp://HOST:PORT} or {@code ssl://HOST:PORT}, nothing more. */
  static ValueParser<String> brokerUrl() {
    return ValueParser.of(
        "give tcp://HOST:PORT or, with TLS, ssl://HOST:PORT, e.g. tcp://192.168.8.1:1883 (the user"
            + " and password go in broker_user and broker_password)",
        s -> {
          URI uri;
          try {
            uri = new URI(s);
          } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
          }
          String scheme = uri.getScheme() == null ? "" : uri.getScheme();
          if (!(scheme.equals("tcp") || scheme.equals("ssl"))
              || uri.getHost() == null
              || uri.getPort() < 1
              || (uri.getPath() != null && !uri.getPath().isEmpty())
              || uri.getQuery() != null
              || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("not a broker URL");
          }
          return s;
        });
  }

  /** An absolute path, or one starting with {@code ~/} (under {@code home}). */
  static ValueParser<Path> path(Path home) {
    return ValueParser.of(
        "give an absolute path or one starting with ~/, e.g. ~/Maildir",
        s -> {
          Path p;
          if (s.equals("~")) {
            p = home;
          } else if (s.startsWith("~/")) {
            p = home.resolve(s.substring(2));
          } else if (s.startsWith("/")) {
            p = Path.of(s);
          } else {
            throw new IllegalArgumentException("relative");
          }
          return p.normalize();
        });
  }

  /**
   * The loopback SMTP listener: {@code off}, a port (on 127.0.0.1), or a loopback address and port;
   * 0 picks a free port.
   */
  static ValueParser<Optional<InetSocketAddress>> listen() {
    return ValueParser.of(
        "give off, a port (listens on 127.0.0.1), or a loopback address and port such as"
            + " 127.0.0.1:2525 or [::1]:2525 (port 1-65535; 0 picks a free port); the listener has"
            + " no authentication, so only loopback addresses are allowed",
        text -> {
          String v = text.toLowerCase(Locale.ROOT);
          if (v.equals("off")) {
            return Optional.empty();
          }
          String hostPart = "127.0.0.1";
          String portPart = v;
          if (v.startsWith("[")) {
            int close = v.indexOf("]:");
            if (close < 0) {
              throw new IllegalArgumentException("no ]:");
            }
            hostPart = v.substring(1, close);
            portPart = v.substring(close + 2);
          } else if (v.contains(":")) {
            int colon = v.lastIndexOf(':');
            hostPart = v.substring(0, colon);
            portPart = v.substring(colon + 1);
          }
          int port = Integer.parseInt(portPart);
          if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
          }
          if (!hostPart.equals("localhost") && !hostPart.matches("[0-9a-f:.]+")) {
            throw new IllegalArgumentException("not an address");
          }
          InetAddress address;
          try {
            address = InetAddress.getByName(hostPart);
          } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
          }
          if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("not loopback");
          }
          return Optional.of(new InetSocketAddress(address, port));
        });
  }

  /** A DNS domain with at least one dot. */
  static ValueParser<String> domain() {
    return Values.hostName()
        .map(
            "give a domain name such as example.org",
            s -> {
              if (!s.contains(".") || s.contains(":")) {
                throw new IllegalArgumentException("not a domain");
              }
              return s;
            });
  }

  /** {@code off}, or a duration from {@code min} to {@code max}. */
  static ValueParser<Optional<Duration>> offOrDuration(Duration min, Duration max) {
    ValueParser<Duration> d = Values.duration(min, max);
    return ValueParser.of(
        "use off, or " + d.accepted().substring("use ".length()),
        s -> s.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(d.parse("duration", s)));
  }

  /** True for a host on this machine: localhost, 127.x, ::1. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }
}
