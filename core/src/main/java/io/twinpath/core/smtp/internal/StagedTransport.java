package io.twinpath.core.smtp.internal;

import io.twinpath.core.smtp.SmtpStage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * An Angus SMTP transport that knows where in the session it is and keeps the last real reply (code
 * and text) apart from RSET/QUIT noise, so a failure can be classified by stage: above all, whether
 * the final dot had left this host when the connection died.
 */
final class StagedTransport extends SMTPTransport {
  private final String user;
  private final String password;
  private volatile SmtpStage stage = SmtpStage.CONNECT;
  private boolean housekeeping;
  private boolean authSent;
  private boolean hasReply;
  private int replyCode;
  private String replyText = "";

  StagedTransport(Session session, String host, int port, String user, String password) {
    super(session, new URLName("smtp", host, port, null, null, null), "smtp", false);
    this.user = user;
    this.password = password;
  }

  SmtpStage stage() {
    return stage;
  }

  void stage(SmtpStage s) {
    this.stage = s;
  }

  boolean authSent() {
    return authSent;
  }

  /** True when the last real command got a reply (which {@link #replyCode()} holds). */
  synchronized boolean hasReply() {
    return hasReply;
  }

  synchronized int replyCode() {
    return replyCode;
  }

  synchronized String replyText() {
    return replyText;
  }

  @Override
  protected synchronized boolean protocolConnect(String host, int port, String u, String p)
      throws MessagingException {
    // the credentials come from the settings, never from the session's properties
    return super.protocolConnect(
        host, port, user.isEmpty() ? null : user, user.isEmpty() ? null : password);
  }

  @Override
  protected void sendCommand(String cmd) throws MessagingException {
    String verb = verb(cmd);
    housekeeping = verb.equals("RSET") || verb.equals("QUIT") || verb.equals("NOOP");
    if (!housekeeping) {
      hasReply = false;
      replyCode = 0;
      replyText = "";
      switch (verb) {
        case "EHLO":
        case "HELO":
          stage = SmtpStage.EHLO;
          break;
        case "STARTTLS":
          stage = SmtpStage.STARTTLS;
          break;
        case "AUTH":
          stage = SmtpStage.AUTH;
          authSent = true;
          break;
        default:
          break;
      }
    }
    super.sendCommand(cmd);
    if (cmd.equals(".")) {
      stage = SmtpStage.FINAL_REPLY; // the dot is on its way: from now on a loss is ambiguous
    }
  }

  @Override
  protected int readServerResponse() throws MessagingException {
    int code = super.readServerResponse();
    if (!housekeeping) {
      hasReply = true;
      replyCode = code;
      String t = getLastServerResponse();
      replyText = t == null ? "" : t.strip();
    }
    return code;
  }

  /** Sends DATA and returns the stream for the message bytes (dot-stuffing included). */
  synchronized OutputStream beginData() throws MessagingException {
    stage = SmtpStage.DATA;
    OutputStream out = data();
    stage = SmtpStage.BODY;
    return out;
  }

  /** Ends the data with the final dot and reads the reply (must be 250). */
  synchronized void endData() throws IOException, MessagingException {
    finishData();
    stage = SmtpStage.DONE;
  }

  private static String verb(String cmd) {
    int sp = cmd.indexOf(' ');
    return (sp < 0 ? cmd : cmd.substring(0, sp)).toUpperCase(Locale.ROOT);
  }
}
