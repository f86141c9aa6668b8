package io.twinpath.core.smtp.internal;

import io.twinpath.core.item.OutboundItem;
import io.twinpath.core.smtp.CommitGate;
import io.twinpath.core.smtp.FailureClassifier;
import io.twinpath.core.smtp.FailureClassifier.LocalReadException;
import io.twinpath.core.smtp.FailureClassifier.Verdict;
import io.twinpath.core.smtp.RecipientResult;
import io.twinpath.core.smtp.RecipientResult.Status;
import io.twinpath.core.smtp.SendResult;
import io.twinpath.core.smtp.SendResult.Outcome;
import io.twinpath.core.smtp.SmtpSender;
import io.twinpath.core.smtp.SmtpSettings;
import io.twinpath.core.smtp.SmtpSettings.TlsMode;
import io.twinpath.core.smtp.SmtpStage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.eclipse.angus.mail.util.WriteTimeoutSocket;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one SMTP session per attempt with Angus's {@link
 * org.eclipse.angus.mail.smtp.SMTPTransport} for the protocol (greeting, EHLO, STARTTLS, AUTH,
 * dot-stuffing) but issues MAIL, RCPT and DATA itself, so every recipient gets its own reply and
 * the message bytes go out exactly as spooled. The socket is opened here: connect timeout, read
 * timeout, write timeout, local bind address, pluggable plain socket factory, and for implicit TLS
 * the handshake with host name checking.
 */
public final class AngusSmtpSender implements SmtpSender {
  private static final Logger LOG = LoggerFactory.getLogger(AngusSmtpSender.class);

  private final SmtpSettings settings;

  /** One session for ASCII envelopes, one for UTF-8 ones; made on first use. */
  private final Session[] sessions = new Session[2];

  public AngusSmtpSender(SmtpSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public SmtpSettings settings() {
    return settings;
  }

  @Override
  public SendResult send(
      OutboundItem item, InputStream message, Set<String> alreadyAccepted, CommitGate gate) {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(alreadyAccepted, "alreadyAccepted");
    long start = System.nanoTime();
    Attempt a = new Attempt(item, alreadyAccepted);
    SendResult result;
    if (a.todo().isEmpty()) {
      result = a.finish(Outcome.DELIVERED, -1, "", "every recipient was accepted before", start);
    } else {
      result = run(a, message, gate, start);
    }
    LOG.debug("item {} via {}: {}", item.id(), settings.host(), result);
    return result;
  }

  private SendResult run(Attempt a, InputStream message, CommitGate gate, long start) {
    char[] pw = settings.password();
    StagedTransport t =
        new StagedTransport(
            session(nonAscii(a.item)),
            settings.host(),
            settings.port(),
            settings.username().orElse(""),
            new String(pw));
    Arrays.fill(pw, '\0');
    Socket socket = null;
    try {
      synchronized (t) {
        t.stage(SmtpStage.CONNECT);
        socket = openSocket(t);
        t.stage(SmtpStage.GREETING);
        t.setLocalHost(settings.ehloName());
        t.connect(socket);
        if (settings.username().isPresent() && !t.authSent()) {
          return a.fail(
              new Verdict(
                  Outcome.TEMPORARY,
                  "the server offered no AUTH on this connection; refusing to send"
                      + " unauthenticated"),
              t,
              -1,
              "",
              start);
        }

        t.stage(SmtpStage.MAIL);
        int code = t.simpleCommand(mailFrom(t, a.item));
        if (code / 100 != 2) {
          return a.fail(
              FailureClassifier.reply(SmtpStage.MAIL, code, t.replyText()),
              t,
              code,
              t.replyText(),
              start);
        }

        t.stage(SmtpStage.RCPT);
        for (String rcpt : a.todo()) {
          int rc = t.simpleCommand("RCPT TO:<" + rcpt + ">");
          String text = t.replyText();
          if (rc / 100 == 2) {
            a.set(rcpt, Status.PENDING, rc, text); // accepted at RCPT; settled by the final dot
            a.rcptAccepted.add(rcpt);
          } else {
            Verdict v = FailureClassifier.reply(SmtpStage.RCPT, rc, text);
            a.set(
                rcpt,
                v.outcome() == Outcome.PERMANENT ? Status.REJECTED : Status.PENDING,
                rc,
                text);
            if (rc == -1) {
              return a.fail(v, t, rc, text, start); // the server hung up
            }
          }
        }
        if (a.rcptAccepted.isEmpty()) {
          quietClose(t);
          return a.settle(-1, "", "no recipient was accepted", SmtpStage.RCPT, start);
        }

        OutputStream out = t.beginData();
        byte[] buf = new byte[64 * 1024];
        while (true) {
          int n;
          try {
            n = message.read(buf);
          } catch (IOException e) {
            throw new LocalReadException(e);
          }
          if (n < 0) {
            break;
          }
          out.write(buf, 0, n);
        }
        // every byte is with the transport; at most its last buffer goes out with the dot
        boolean commit;
        try {
          commit = gate.mayCommit(a.item);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          commit = false;
        }
        if (!commit) {
          closeHard(t, socket);
          return a.fail(
              new Verdict(
                  Outcome.TEMPORARY,
                  "stood down before the final dot (not granted the commit); nothing was delivered"),
              t,
              -1,
              "",
              start);
        }
        t.endData();
        int finalCode = t.replyCode();
        String finalText = t.replyText();
        for (String rcpt : a.rcptAccepted) {
          a.set(rcpt, Status.ACCEPTED, finalCode, finalText);
        }
        quietClose(t);
        return a.settle(finalCode, finalText, "accepted: " + finalText, SmtpStage.DONE, start);
      }
    } catch (MessagingException | IOException | RuntimeException e) {
      SmtpStage stage = t.stage();
      Verdict v;
      int code = -1;
      String text = "";
      if (e instanceof LocalReadException) {
        v = FailureClassifier.exception(stage, e);
      } else if (t.hasReply() && (t.replyCode() == -1 || t.replyCode() / 100 >= 4)) {
        code = t.replyCode();
        text = t.replyText();
        v = FailureClassifier.reply(stage, code, text);
      } else {
        v = FailureClassifier.exception(stage, e);
      }
      LOG.debug("attempt for item {} failed at {}", a.item.id(), stage, e);
      closeHard(t, socket);
      return a.fail(v, t, code, text, start);
    }
  }

  private String mailFrom(StagedTransport t, OutboundItem item) {
    StringBuilder b =
        new StringBuilder("MAIL FROM:<").append(item.envelope().mailFrom()).append('>');
    if (t.supportsExtension("SIZE")) {
      b.append(" SIZE=").append(item.size());
    }
    if (t.supportsExtension("8BITMIME")) {
      b.append(" BODY=8BITMIME");
    }
    if (nonAscii(item) && t.supportsExtension("SMTPUTF8")) {
      b.append(" SMTPUTF8");
    }
    return b.toString();
  }

  private static boolean nonAscii(OutboundItem item) {
    boolean utf8 = !StandardCharsets.US_ASCII.newEncoder().canEncode(item.envelope().mailFrom());
    for (String r : item.envelope().recipients()) {
      utf8 |= !StandardCharsets.US_ASCII.newEncoder().canEncode(r);
    }
    return utf8;
  }

  private synchronized Session session(boolean utf8Addresses) {
    Session[] cache = sessions;
    int i = utf8Addresses ? 1 : 0;
    Session s = cache[i];
    if (s == null) {
      s = newSession(utf8Addresses);
      cache[i] = s;
    }
    return s;
  }

  private Session newSession(boolean utf8Addresses) {
    Properties p = new Properties();
    String prefix = "mail.smtp.";
    p.put(prefix + "host", settings.host());
    p.put(prefix + "port", String.valueOf(settings.port()));
    p.put(prefix + "auth", String.valueOf(settings.username().isPresent()));
    // a password account: never fall through to token mechanisms (XOAUTH2) after a 535, which
    // turns a clear "credentials refused" into a dropped connection
    p.put(prefix + "auth.mechanisms", "PLAIN LOGIN");
    p.put(prefix + "connectiontimeout", String.valueOf(settings.connectTimeout().toMillis()));
    p.put(prefix + "timeout", String.valueOf(settings.readTimeout().toMillis()));
    p.put(prefix + "writetimeout", String.valueOf(settings.writeTimeout().toMillis()));
    p.put(prefix + "quitwait", "false");
    p.put(prefix + "ssl.checkserveridentity", "true");
    // the TLS socket for STARTTLS is layered over our plain socket with the configured trust
    p.put(
        prefix + "ssl.socketFactory",
        new HostNameSslSocketFactory(settings.sslSocketFactory(), settings.host()));
    boolean starttls = settings.tlsMode() == TlsMode.STARTTLS;
    p.put(prefix + "starttls.enable", String.valueOf(starttls));
    p.put(prefix + "starttls.required", String.valueOf(starttls));
    // UTF-8 in commands only when an address needs it (SMTPUTF8)
    p.put("mail.mime.allowutf8", String.valueOf(utf8Addresses));
    return Session.getInstance(p);
  }

  /** Opens the TCP connection (and, for implicit TLS, the TLS session) the way the settings say. */
  private Socket openSocket(StagedTransport t) throws IOException {
    SocketFactory custom = settings.socketFactory().orElse(null);
    SocketFactory factory = custom != null ? custom : SocketFactory.getDefault();
    Socket plain = factory.createSocket();
    try {
      if (settings.localAddress().isPresent()) {
        plain.bind(new InetSocketAddress(settings.localAddress().get(), 0));
      }
      InetSocketAddress address;
      if (custom != null) {
        address = InetSocketAddress.createUnresolved(settings.host(), settings.port());
      } else {
        address = new InetSocketAddress(settings.host(), settings.port());
        if (address.isUnresolved()) {
          throw new UnknownHostException(settings.host());
        }
      }
      plain.connect(address, (int) settings.connectTimeout().toMillis());
      plain.setSoTimeout((int) settings.readTimeout().toMillis());
      try {
        // the body's last buffer and the final dot are two writes before a read: without this,
        // Nagle's algorithm and the server's delayed ACK stall every message by tens of ms
        plain.setTcpNoDelay(true);
      } catch (java.net.SocketException unsupported) {
        LOG.debug("the socket does not support TCP_NODELAY", unsupported);
      }
      Socket s = new WriteTimeoutSocket(plain, (int) settings.writeTimeout().toMillis());
      if (settings.tlsMode() != TlsMode.IMPLICIT) {
        return s;
      }
      t.stage(SmtpStage.TLS);
      SSLSocket tls =
          (SSLSocket)
              settings.sslSocketFactory().createSocket(s, settings.host(), settings.port(), true);
      try {
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.startHandshake();
      } catch (IOException | RuntimeException e) {
        tls.close();
        throw e;
      }
      return tls;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static void quietClose(StagedTransport t) {
    try {
      t.close();
    } catch (MessagingException | RuntimeException e) {
      LOG.trace("closing the SMTP connection", e);
    }
  }

  /** Drops the connection without QUIT (a QUIT inside DATA would be message text). */
  private static void closeHard(StagedTransport t, @Nullable Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.trace("closing the socket", e);
      }
    }
    quietClose(t);
  }

  /** The bookkeeping of one attempt: per-recipient results in envelope order. */
  private static final class Attempt {
    final OutboundItem item;
    final Map<String, RecipientResult> results = new LinkedHashMap<>();
    final List<String> rcptAccepted = new ArrayList<>();

    Attempt(OutboundItem item, Set<String> done) {
      this.item = item;
      for (String r : item.envelope().recipients()) {
        results.put(
            r,
            done.contains(r)
                ? new RecipientResult(
                    r, Status.ALREADY_ACCEPTED, -1, "settled in an earlier attempt")
                : new RecipientResult(r, Status.PENDING, -1, "not attempted"));
      }
    }

    List<String> todo() {
      List<String> out = new ArrayList<>();
      for (RecipientResult r : results.values()) {
        if (r.status() == Status.PENDING) {
          out.add(r.address());
        }
      }
      return out;
    }

    void set(String rcpt, Status s, int code, String text) {
      results.put(rcpt, new RecipientResult(rcpt, s, code, text));
    }

    /** Ends a session that ran its course: the outcome follows from the recipients. */
    SendResult settle(int code, String text, String reason, SmtpStage stage, long start) {
      boolean pending = false;
      boolean rejected = false;
      List<String> notes = new ArrayList<>();
      for (RecipientResult r : results.values()) {
        if (r.status() == Status.PENDING) {
          pending = true;
          notes.add(r.address() + " deferred: " + r.reply());
        } else if (r.status() == Status.REJECTED) {
          rejected = true;
          notes.add(r.address() + " rejected: " + r.reply());
        }
      }
      Outcome o = pending ? Outcome.TEMPORARY : rejected ? Outcome.PERMANENT : Outcome.DELIVERED;
      String why = notes.isEmpty() ? reason : reason + "; " + String.join("; ", notes);
      return finish(o, code, text, why, start, stage);
    }

    /** Ends a session cut short by a failure classified as {@code v}. */
    SendResult fail(Verdict v, StagedTransport t, int code, String text, long start) {
      for (RecipientResult r : List.copyOf(results.values())) {
        if (r.status() != Status.PENDING) {
          continue;
        }
        boolean atRcpt = rcptAccepted.contains(r.address());
        String why = code >= 0 ? text : v.reason();
        switch (v.outcome()) {
          case PERMANENT:
            set(r.address(), Status.REJECTED, code, why);
            break;
          case AMBIGUOUS:
            if (atRcpt) {
              set(r.address(), Status.UNCERTAIN, code, v.reason());
            }
            break;
          default:
            if (atRcpt || r.replyCode() == -1) {
              set(r.address(), Status.PENDING, code, why);
            }
            break;
        }
      }
      Outcome o = v.outcome();
      if (o == Outcome.DELIVERED) {
        o = Outcome.TEMPORARY; // a success reply where a failure was expected: retry
      }
      return finish(o, code, text, v.reason(), start, t.stage());
    }

    SendResult finish(Outcome o, int code, String text, String reason, long start) {
      return finish(o, code, text, reason, start, SmtpStage.DONE);
    }

    SendResult finish(
        Outcome o, int code, String text, String reason, long start, SmtpStage stage) {
      return SendResult.of(
          o,
          List.copyOf(results.values()),
          code,
          text,
          reason,
          stage,
          Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
