package io.twinpath.core.smtp;

/** Where in an SMTP session something happened, in session order. */
public enum SmtpStage {
  /** Opening the TCP connection (DNS included). */
  CONNECT,
  /** The TLS handshake of implicit TLS (port 465). */
  TLS,
  /** Waiting for the server's 220 greeting. */
  GREETING,
  /** EHLO / HELO (before and after STARTTLS). */
  EHLO,
  /** The STARTTLS command and the TLS handshake after it. */
  STARTTLS,
  /** AUTH. */
  AUTH,
  /** MAIL FROM. */
  MAIL,
  /** RCPT TO. */
  RCPT,
  /** The DATA command (waiting for 354). */
  DATA,
  /** Writing the message bytes, up to and including the final dot leaving this host. */
  BODY,
  /**
   * The final dot was sent; waiting for the server's reply to it. Losing the link here is
   * ambiguous.
   */
  FINAL_REPLY,
  /** The session ended with the server's reply to the final dot, or with nothing left to send. */
  DONE
}
