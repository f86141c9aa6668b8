package io.twinpath.core.item;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The SMTP envelope of an item: the reverse path (MAIL FROM) and the recipients (RCPT TO), checked
 * for what a submission server would reject outright. Immutable.
 */
public final class Envelope {
  /** RFC 5321 4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
  public static final int MAX_PATH_LENGTH = 254;

  /** RFC 5321 4.5.3.1.8 asks servers to accept at least 100 recipients; we refuse more. */
  public static final int MAX_RECIPIENTS = 100;

  private final String mailFrom;
  private final List<String> recipients;

  private Envelope(String mailFrom, List<String> recipients) {
    this.mailFrom = mailFrom;
    this.recipients = recipients;
  }

  /**
   * Validates and builds an envelope. {@code mailFrom} may be empty (the null reverse path {@code
   * <>} of bounces); recipients must not be empty. Duplicate recipients are kept once, in order.
   *
   * @throws IllegalArgumentException naming the bad value and what is accepted
   */
  public static Envelope of(String mailFrom, List<String> recipients) {
    Objects.requireNonNull(mailFrom, "mailFrom");
    Objects.requireNonNull(recipients, "recipients");
    if (!mailFrom.isEmpty()) {
      checkAddress("sender", mailFrom);
    }
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException(
          "the envelope has no recipients; at least one address like user@example.org is needed");
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String r : recipients) {
      Objects.requireNonNull(r, "recipient");
      checkAddress("recipient", r);
      unique.add(r);
    }
    if (unique.size() > MAX_RECIPIENTS) {
      throw new IllegalArgumentException(
          "the envelope has "
              + unique.size()
              + " recipients; at most "
              + MAX_RECIPIENTS
              + " are accepted in one item");
    }
    return new Envelope(mailFrom, Collections.unmodifiableList(new ArrayList<>(unique)));
  }

  /**
   * Checks one address as SMTP needs it: local@domain, no spaces, no control characters, no angle
   * brackets, within the length limit. UTF-8 (SMTPUTF8) is allowed.
   */
  static void checkAddress(String role, String address) {
    String shown = ItemId.printable(address);
    if (address.length() > MAX_PATH_LENGTH) {
      throw new IllegalArgumentException(
          "the "
              + role
              + " address '"
              + shown
              + "' is "
              + address.length()
              + " characters long; at most "
              + MAX_PATH_LENGTH
              + " are allowed");
    }
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';') {
        throw new IllegalArgumentException(
            "the "
                + role
                + " address '"
                + shown
                + "' contains a space, control character or one of < > , ; ; write a bare"
                + " address like user@example.org");
      }
    }
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      throw new IllegalArgumentException(
          "the "
              + role
              + " address '"
              + shown
              + "' is not of the form local-part@domain (e.g. user@example.org)");
    }
    String domain = address.substring(at + 1);
    if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
      throw new IllegalArgumentException(
          "the " + role + " address '" + shown + "' has a malformed domain '" + domain + "'");
    }
  }

  /** The reverse path; empty for the null sender {@code <>}. */
  public String mailFrom() {
    return mailFrom;
  }

  /** Recipients in the order given, without duplicates. */
  public List<String> recipients() {
    return recipients;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Envelope)) {
      return false;
    }
    Envelope e = (Envelope) o;
    return e.mailFrom.equals(mailFrom) && e.recipients.equals(recipients);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mailFrom, recipients);
  }

  @Override
  public String toString() {
    return "<" + mailFrom + "> -> " + recipients;
  }
}
