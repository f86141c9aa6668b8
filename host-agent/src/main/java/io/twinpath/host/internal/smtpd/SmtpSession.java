package io.twinpath.host.internal.smtpd;

import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.host.internal.submit.LimitedInputStream;
import io.twinpath.host.internal.submit.Outbox;
import io.twinpath.host.internal.submit.SubmitException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP conversation (RFC 5321 with SIZE, 8BITMIME, SMTPUTF8, PIPELINING and
 * ENHANCEDSTATUSCODES). Strict about syntax: a malformed command gets a 5xx reply and changes
 * nothing. A message is acknowledged with 250 only after the outbox returns.
 */
final class SmtpSession {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);

  /** RFC 5321 4.5.3.1.4 asks for 512; SMTPUTF8 addresses and parameters need a little more. */
  static final int MAX_COMMAND_LINE = 2048;

  /** After this many bad commands the connection is closed. */
  static final int MAX_ERRORS = 20;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Outbox outbox;
  private final String hostname;

  private boolean greeted;
  private @Nullable String mailFrom;
  private final List<String> recipients = new ArrayList<>();
  private int errors;

  SmtpSession(Socket socket, Outbox outbox, String hostname) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 65536);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    this.outbox = outbox;
    this.hostname = hostname;
  }

  void run() throws IOException {
    reply("220 " + hostname + " ESMTP twinpath-host ready");
    try {
      while (true) {
        String line = readCommand();
        if (line == null) {
          return;
        }
        if (!handle(line)) {
          return;
        }
        if (errors >= MAX_ERRORS) {
          reply("421 4.7.0 Too many errors, closing the connection");
          return;
        }
      }
    } catch (SocketTimeoutException e) {
      reply("421 4.4.2 " + hostname + " Idle too long, closing the connection");
    }
  }

  /** A command line without its CRLF, or null at the end of the connection. */
  private @Nullable String readCommand() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    boolean tooLong = false;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      if (c == '\n') {
        break;
      }
      if (b.size() < MAX_COMMAND_LINE) {
        b.write(c);
      } else {
        tooLong = true;
      }
    }
    if (tooLong) {
      errors++;
      reply("500 5.5.6 Command line too long (at most " + MAX_COMMAND_LINE + " bytes)");
      return readCommand();
    }
    byte[] bytes = b.toByteArray();
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    return new String(bytes, 0, len, StandardCharsets.UTF_8);
  }

  /** Handles one command; false to end the session. */
  private boolean handle(String line) throws IOException {
    int sp = line.indexOf(' ');
    String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    String arg = sp < 0 ? "" : line.substring(sp + 1);
    switch (verb) {
      case "EHLO":
      case "HELO":
        if (arg.isBlank()) {
          syntax("501 5.5.4 " + verb + " needs your host name, e.g. " + verb + " localhost");
          return true;
        }
        greeted = true;
        reset();
        if (verb.equals("HELO")) {
          reply("250 " + hostname);
        } else {
          reply(
              "250-" + hostname + " greets " + arg.strip(),
              "250-SIZE " + outbox.sizeLimit(),
              "250-8BITMIME",
              "250-SMTPUTF8",
              "250-PIPELINING",
              "250-ENHANCEDSTATUSCODES",
              "250 HELP");
        }
        return true;
      case "MAIL":
        mail(arg);
        return true;
      case "RCPT":
        rcpt(arg);
        return true;
      case "DATA":
        if (!arg.isEmpty()) {
          syntax("501 5.5.4 DATA takes no argument");
        } else if (mailFrom == null) {
          syntax("503 5.5.1 Send MAIL FROM first");
        } else if (recipients.isEmpty()) {
          syntax("554 5.5.1 No valid recipients; send RCPT TO first");
        } else {
          data();
        }
        return true;
      case "RSET":
        if (!arg.isEmpty()) {
          syntax("501 5.5.4 RSET takes no argument");
          return true;
        }
        reset();
        reply("250 2.0.0 Reset");
        return true;
      case "NOOP":
        reply("250 2.0.0 OK");
        return true;
      case "QUIT":
        reply("221 2.0.0 " + hostname + " closing the connection");
        return false;
      case "VRFY":
        reply("252 2.5.0 Cannot verify addresses, but will queue the message");
        return true;
      case "HELP":
        reply("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP");
        return true;
      case "STARTTLS":
      case "AUTH":
      case "BDAT":
      case "EXPN":
      case "ETRN":
      case "TURN":
        syntax(
            "502 5.5.1 "
                + verb
                + " is not offered by this loopback listener (no TLS or login is needed)");
        return true;
      default:
        syntax("500 5.5.2 Command not recognized");
        return true;
    }
  }

  private void mail(String arg) throws IOException {
    if (!greeted) {
      syntax("503 5.5.1 Say EHLO first");
      return;
    }
    if (mailFrom != null) {
      syntax("503 5.5.1 A transaction is already open; send RSET to start another");
      return;
    }
    Path p = path(arg, "FROM:");
    if (p == null) {
      syntax("501 5.5.4 Syntax: MAIL FROM:<address> [SIZE=n] [BODY=8BITMIME] [SMTPUTF8]");
      return;
    }
    for (String param : p.params) {
      String upper = param.toUpperCase(Locale.ROOT);
      if (upper.startsWith("SIZE=")) {
        long size;
        try {
          size = Long.parseLong(param.substring(5));
        } catch (NumberFormatException e) {
          syntax("501 5.5.4 SIZE needs a number of bytes");
          return;
        }
        if (size < 0) {
          syntax("501 5.5.4 SIZE needs a number of bytes");
          return;
        }
        if (size > outbox.sizeLimit()) {
          errors++;
          reply(
              "552 5.3.4 Message size "
                  + size
                  + " exceeds the limit of "
                  + outbox.sizeLimit()
                  + " bytes");
          return;
        }
      } else if (upper.startsWith("BODY=")) {
        String body = upper.substring(5);
        if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
          syntax("501 5.5.4 BODY must be 7BIT or 8BITMIME");
          return;
        }
      } else if (!upper.equals("SMTPUTF8")) {
        syntax("555 5.5.4 Parameter " + safe(param) + " is not supported");
        return;
      }
    }
    if (!p.address.isEmpty()) {
      try {
        Envelope.of(p.address, List.of(p.address));
      } catch (IllegalArgumentException e) {
        syntax("553 5.1.7 " + safe(e.getMessage()));
        return;
      }
    }
    mailFrom = p.address;
    reply("250 2.1.0 Sender OK");
  }

  private void rcpt(String arg) throws IOException {
    if (mailFrom == null) {
      syntax("503 5.5.1 Send MAIL FROM first");
      return;
    }
    Path p = path(arg, "TO:");
    if (p == null || p.address.isEmpty()) {
      syntax("501 5.5.4 Syntax: RCPT TO:<address>");
      return;
    }
    if (!p.params.isEmpty()) {
      syntax("555 5.5.4 RCPT parameters are not supported");
      return;
    }
    try {
      Envelope.of("", List.of(p.address));
    } catch (IllegalArgumentException e) {
      syntax("553 5.1.3 " + safe(e.getMessage()));
      return;
    }
    if (!recipients.contains(p.address) && recipients.size() >= Envelope.MAX_RECIPIENTS) {
      reply("452 4.5.3 Too many recipients; send the rest in another message");
      return;
    }
    if (!recipients.contains(p.address)) {
      recipients.add(p.address);
    }
    reply("250 2.1.5 Recipient OK");
  }

  private void data() throws IOException {
    reply("354 End data with <CR><LF>.<CR><LF>");
    DotInputStream body = new DotInputStream(in);
    Envelope envelope = Envelope.of(mailFrom == null ? "" : mailFrom, recipients);
    reset();
    ItemId id;
    try {
      id = outbox.submit(envelope, new LimitedInputStream(body, outbox.sizeLimit()));
    } catch (SubmitException e) {
      // the rest of the message must be read before the reply, or it would be taken as commands
      body.drain();
      if (e.kind() == SubmitException.Kind.TOO_LARGE) {
        reply("552 5.3.4 Message exceeds the size limit of " + outbox.sizeLimit() + " bytes");
      } else {
        LOG.warn("a message from the SMTP listener was not queued: {}", e.getMessage());
        reply(e.kind().smtpReply() + " Not queued: " + safe(e.getMessage()));
      }
      return;
    } catch (RuntimeException e) {
      // the outbox acknowledges nothing it has not stored, so this message is not queued
      LOG.warn("a message from the SMTP listener was not queued", e);
      body.drain();
      reply("451 4.3.0 Not queued: an internal error; try again later");
      return;
    }
    if (!body.atEnd()) {
      // the outbox stopped reading early; that cannot be an acknowledged message
      body.drain();
    }
    LOG.info(
        "queued {} from <{}> for {} recipient(s) via the SMTP listener",
        id,
        envelope.mailFrom(),
        envelope.recipients().size());
    reply("250 2.0.0 Ok: queued as " + id);
  }

  /** A parsed {@code FROM:<a> params} or {@code TO:<a> params}. */
  private record Path(String address, List<String> params) {}

  /**
   * Parses {@code FROM:<address> params}; tolerates a space after the colon (many clients send it).
   * Returns null for bad syntax.
   */
  private static @Nullable Path path(String arg, String keyword) {
    if (arg.length() < keyword.length()
        || !arg.substring(0, keyword.length()).equalsIgnoreCase(keyword)) {
      return null;
    }
    String rest = arg.substring(keyword.length()).stripLeading();
    if (!rest.startsWith("<")) {
      return null;
    }
    int close = rest.indexOf('>');
    if (close < 0) {
      return null;
    }
    String address = rest.substring(1, close);
    // a source route (@a,@b:user@c) is allowed by RFC 5321 and must be ignored
    if (address.startsWith("@")) {
      int colon = address.indexOf(':');
      if (colon < 0) {
        return null;
      }
      address = address.substring(colon + 1);
    }
    String tail = rest.substring(close + 1);
    List<String> params = new ArrayList<>();
    if (!tail.isEmpty()) {
      if (!tail.startsWith(" ")) {
        return null;
      }
      for (String p : tail.strip().split(" +")) {
        if (!p.isEmpty()) {
          params.add(p);
        }
      }
    }
    return new Path(address, params);
  }

  private void reset() {
    mailFrom = null;
    recipients.clear();
  }

  private void syntax(String reply) throws IOException {
    errors++;
    reply(reply);
  }

  private void reply(String... lines) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      b.append(l).append("\r\n");
    }
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String safe(@Nullable String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 300; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "SMTP session with " + socket.getRemoteSocketAddress();
  }
}
