package io.twinpath.host.internal.bounce;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A delivery status notification (RFC 3464, {@code multipart/report; report-type=delivery-status})
 * telling the user that a message failed for good: a readable text part with the server's reply,
 * the machine-readable status, and the original header.
 */
public final class Bounce {
  private static final DateTimeFormatter RFC5322_DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
  private static final Pattern ENHANCED =
      Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One recipient that failed.
   *
   * @param recipient the address
   * @param reply the server's reply (code and text), or a sentence when there was none (expiry)
   * @param status the RFC 3463 status, e.g. {@code 5.1.1}; derived from the reply when null
   */
  public record Failure(String recipient, String reply, @Nullable String status) {
    /** The RFC 3463 status code: given, or from the reply's enhanced code, or its class. */
    public String statusCode() {
      if (status != null) {
        return status;
      }
      Matcher m = ENHANCED.matcher(reply);
      if (m.find()) {
        return m.group(1);
      }
      if (reply.length() >= 3 && reply.charAt(0) >= '2' && reply.charAt(0) <= '5') {
        return reply.charAt(0) + ".0.0";
      }
      return "5.0.0";
    }
  }

  /**
   * What the bounce reports.
   *
   * @param itemId the queue id
   * @param sender the envelope sender, who receives the bounce
   * @param reportingHost this laptop's name
   * @param remoteHost the SMTP server that refused, when known (this laptop's account)
   * @param device the device whose path reported the failure
   * @param expired true when nobody refused: the item expired before it could be sent
   * @param arrival when the item was queued
   * @param failedAt when the failure was final
   * @param failures the recipients that failed
   * @param originalHeader the original message's header section
   */
  public record Report(
      String itemId,
      String sender,
      String reportingHost,
      @Nullable String remoteHost,
      String device,
      boolean expired,
      Instant arrival,
      Instant failedAt,
      List<Failure> failures,
      byte[] originalHeader) {
    public Report {
      failures = List.copyOf(failures);
      originalHeader = originalHeader.clone();
    }
  }

  private Bounce() {}

  /** Reads the header section (up to and including the empty line) of a message. */
  public static byte[] headerOf(InputStream message) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int prev1 = -1;
    int prev2 = -1;
    int c;
    while ((c = message.read()) >= 0 && out.size() < MAX_HEADER_BYTES) {
      out.write(c);
      if (c == '\n' && (prev1 == '\n' || (prev1 == '\r' && prev2 == '\n'))) {
        break;
      }
      prev2 = prev1;
      prev1 = c;
    }
    return out.toByteArray();
  }

  /** The bounce message, CRLF line ends, UTF-8 text. */
  public static byte[] build(Report r) {
    String boundary = "twinpath-" + HexFormat.of().formatHex(randomBytes(12));
    String domain =
        r.reportingHost().contains(".") ? r.reportingHost() : r.reportingHost() + ".localdomain";
    String subject = originalField(r.originalHeader(), "Subject");
    String messageId = originalField(r.originalHeader(), "Message-ID");
    String date =
        RFC5322_DATE.format(ZonedDateTime.ofInstant(r.failedAt(), ZoneId.systemDefault()));
    StringBuilder m = new StringBuilder();
    line(m, "From: Twinpath on " + r.reportingHost() + " <MAILER-DAEMON@" + domain + ">");
    line(m, "To: " + (r.sender().isEmpty() ? "postmaster@" + domain : "<" + r.sender() + ">"));
    line(
        m,
        "Subject: " + encoded("Undelivered mail: " + (subject == null ? "(no subject)" : subject)));
    line(m, "Date: " + date);
    line(
        m,
        "Message-ID: <bounce-"
            + r.itemId()
            + "-"
            + r.failedAt().toEpochMilli()
            + "@"
            + domain
            + ">");
    if (messageId != null) {
      line(m, "In-Reply-To: " + messageId);
      line(m, "References: " + messageId);
    }
    line(m, "Auto-Submitted: auto-replied");
    line(m, "X-Twinpath-Item: " + r.itemId());
    line(m, "MIME-Version: 1.0");
    line(
        m,
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\""
            + boundary
            + "\"");
    line(m, "");
    line(m, "This is a delivery status notification in MIME format.");
    line(m, "");

    // 1. the readable part
    line(m, "--" + boundary);
    line(m, "Content-Type: text/plain; charset=utf-8");
    line(m, "Content-Transfer-Encoding: 8bit");
    line(m, "Content-Description: Notification");
    line(m, "");
    line(
        m,
        "Your message could not be delivered to "
            + (r.failures().size() == 1 ? "this recipient" : "these recipients")
            + ", and it will not be tried again:");
    line(m, "");
    for (Failure f : r.failures()) {
      line(m, "  " + f.recipient());
      line(m, "    " + printable(f.reply()));
    }
    line(m, "");
    if (r.expired()) {
      line(m, "The message could not be sent before it expired (device '" + r.device() + "').");
    } else {
      line(
          m,
          "The mail server "
              + (r.remoteHost() == null ? "reached by device '" + r.device() + "'" : r.remoteHost())
              + " gave this answer to the path of device '"
              + r.device()
              + "'. A 5xx answer is permanent: sending again over another path would get the"
              + " same answer.");
    }
    line(m, "");
    line(m, "  Subject:    " + (subject == null ? "(none)" : subject));
    if (messageId != null) {
      line(m, "  Message-ID: " + messageId);
    }
    line(
        m,
        "  Queued:     "
            + RFC5322_DATE.format(ZonedDateTime.ofInstant(r.arrival(), ZoneId.systemDefault())));
    line(m, "  Queue id:   " + r.itemId() + " (twinpath-host status shows it too)");
    line(m, "");

    // 2. the machine-readable part
    line(m, "--" + boundary);
    line(m, "Content-Type: message/delivery-status");
    line(m, "Content-Description: Delivery report");
    line(m, "");
    line(m, "Reporting-MTA: dns; " + r.reportingHost());
    line(m, "X-Twinpath-Queue-ID: " + r.itemId());
    line(
        m,
        "Arrival-Date: "
            + RFC5322_DATE.format(ZonedDateTime.ofInstant(r.arrival(), ZoneId.systemDefault())));
    for (Failure f : r.failures()) {
      line(m, "");
      line(m, "Final-Recipient: rfc822; " + f.recipient());
      line(m, "Action: failed");
      line(m, "Status: " + f.statusCode());
      if (r.remoteHost() != null) {
        line(m, "Remote-MTA: dns; " + r.remoteHost());
      }
      line(
          m,
          "Diagnostic-Code: " + (r.expired() ? "X-Twinpath; " : "smtp; ") + printable(f.reply()));
      line(m, "Last-Attempt-Date: " + date);
    }
    line(m, "");

    // 3. the original header
    line(m, "--" + boundary);
    line(m, "Content-Type: text/rfc822-headers");
    line(m, "Content-Description: Header of the undelivered message");
    line(m, "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(m.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(crlf(r.originalHeader()));
    String end = "\r\n--" + boundary + "--\r\n";
    out.writeBytes(end.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** The header bytes with every line ending as CRLF and without the final empty line. */
  private static byte[] crlf(byte[] header) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + 64);
    int len = header.length;
    // drop the empty line that ends the section
    if (len >= 2 && header[len - 2] == '\r' && header[len - 1] == '\n') {
      len -= 2;
    } else if (len >= 1 && header[len - 1] == '\n') {
      len -= 1;
    }
    for (int i = 0; i < len; i++) {
      byte b = header[i];
      if (b == '\n' && (i == 0 || header[i - 1] != '\r')) {
        out.write('\r');
      }
      out.write(b);
    }
    return out.toByteArray();
  }

  /** The unfolded value of the first field with this name in a header section, or null. */
  static @Nullable String originalField(byte[] header, String name) {
    String text = new String(header, StandardCharsets.UTF_8).replace("\r\n", "\n");
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      int colon = l.indexOf(':');
      if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(name)) {
        StringBuilder v = new StringBuilder(l.substring(colon + 1).strip());
        while (i + 1 < lines.length
            && !lines[i + 1].isEmpty()
            && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
          v.append(' ').append(lines[++i].strip());
        }
        return printable(v.toString());
      }
    }
    return null;
  }

  /** Header text as RFC 2047 encoded words when it is not plain ASCII, so every reader shows it. */
  private static String encoded(String text) {
    try {
      return MimeUtility.fold(9, MimeUtility.encodeText(text, "UTF-8", "Q"));
    } catch (UnsupportedEncodingException e) {
      return text;
    }
  }

  private static void line(StringBuilder b, String s) {
    b.append(s).append("\r\n");
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 900; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return b.toString();
  }
}
