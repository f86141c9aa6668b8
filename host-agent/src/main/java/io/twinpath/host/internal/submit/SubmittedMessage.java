package io.twinpath.host.internal.submit;

import io.twinpath.core.Printable;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A message read from the sendmail command's standard input, with its header section parsed. The
 * bytes are kept as they were apart from line ends (stored as CRLF, as SMTP sends them), a leading
 * mbox {@code From } line (dropped, as sendmail does), {@code Bcc:} fields (removed: they must not
 * reach other recipients) and a {@code From:} field added when there is none.
 */
public final class SubmittedMessage {
  private static final byte[] CRLF = {'\r', '\n'};

  /** One header field: its name, unfolded value, and its byte range including continuations. */
  record Field(String name, String value, int start, int end) {}

  private final byte[] bytes;
  private final List<Field> fields;

  private SubmittedMessage(byte[] bytes, List<Field> fields) {
    this.bytes = bytes;
    this.fields = fields;
  }

  /**
   * Reads a message the way sendmail does: without {@code ignoreDots} a line holding only a dot
   * ends it (the rest of the input is not read); with it, only the end of input does. Lines are
   * stored with CRLF ends. Lines starting with two dots are kept as they are (like Postfix).
   *
   * @throws SubmitException TOO_LARGE beyond {@code limit} bytes, TEMPORARY on a read error
   */
  public static SubmittedMessage read(InputStream in, boolean ignoreDots, long limit)
      throws SubmitException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean first = true;
    try {
      while (true) {
        int c = in.read();
        if (c == '\n' || c < 0) {
          byte[] l = line.toByteArray();
          line.reset();
          int len = l.length;
          if (len > 0 && l[len - 1] == '\r' && c == '\n') {
            len--;
          }
          if (c < 0 && len == 0) {
            break;
          }
          if (!ignoreDots && len == 1 && l[0] == '.') {
            break;
          }
          if (first && startsWith(l, len, "From ")) {
            first = false; // an mbox separator line, not part of the message
            if (c < 0) {
              break;
            }
            continue;
          }
          first = false;
          out.write(l, 0, len);
          out.write(CRLF);
          if (out.size() > limit) {
            throw new SubmitException(
                SubmitException.Kind.TOO_LARGE,
                "the message is larger than the size limit of "
                    + limit
                    + " bytes (size_limit in host.conf)");
          }
          if (c < 0) {
            break;
          }
        } else {
          line.write(c);
          if (line.size() > limit) {
            throw new SubmitException(
                SubmitException.Kind.TOO_LARGE,
                "the message is larger than the size limit of "
                    + limit
                    + " bytes (size_limit in host.conf)");
          }
        }
      }
    } catch (IOException e) {
      throw new SubmitException(
          SubmitException.Kind.TEMPORARY, "reading the message failed: " + e.getMessage(), e);
    }
    return of(out.toByteArray());
  }

  private static boolean startsWith(byte[] l, int len, String prefix) {
    if (len < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (l[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Parses the header section of CRLF-terminated message bytes. */
  static SubmittedMessage of(byte[] bytes) {
    List<Field> fields = new ArrayList<>();
    int pos = 0;
    Field open = null;
    StringBuilder value = new StringBuilder();
    while (pos < bytes.length) {
      int eol = indexOfCrlf(bytes, pos);
      int next = eol < 0 ? bytes.length : eol + 2;
      int lineEnd = eol < 0 ? bytes.length : eol;
      if (lineEnd == pos) {
        break; // the empty line ending the header section
      }
      byte b0 = bytes[pos];
      if ((b0 == ' ' || b0 == '\t') && open != null) {
        value.append(decode(bytes, pos, lineEnd));
        open = new Field(open.name, "", open.start, next);
      } else {
        int colon = headerNameEnd(bytes, pos, lineEnd);
        if (colon < 0) {
          break; // not a header line: the body starts here (as Postfix treats it)
        }
        if (open != null) {
          fields.add(new Field(open.name, value.toString().strip(), open.start, open.end));
        }
        String name = new String(bytes, pos, colon - pos, StandardCharsets.US_ASCII);
        value.setLength(0);
        value.append(decode(bytes, colon + 1, lineEnd));
        open = new Field(name, "", pos, next);
      }
      pos = next;
    }
    if (open != null) {
      fields.add(new Field(open.name, value.toString().strip(), open.start, open.end));
    }
    return new SubmittedMessage(bytes, List.copyOf(fields));
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The index of the colon ending a field name (printable ASCII except colon), or -1. */
  private static int headerNameEnd(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xff;
      if (c == ':') {
        return i > from ? i : -1;
      }
      if (c < 33 || c > 126) {
        return -1;
      }
    }
    return -1;
  }

  private static String decode(byte[] b, int from, int to) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
  }

  /** The message bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The size in bytes. */
  public int size() {
    return bytes.length;
  }

  /** The unfolded values of all fields with this name (case-insensitive). */
  public List<String> header(String name) {
    List<String> out = new ArrayList<>();
    for (Field f : fields) {
      if (f.name.equalsIgnoreCase(name)) {
        out.add(f.value);
      }
    }
    return out;
  }

  /**
   * The recipients named in the header ({@code -t}): To, Cc and Bcc, or, when the message has
   * Resent- fields, Resent-To, Resent-Cc and Resent-Bcc (it is being re-sent).
   *
   * @throws SubmitException BAD_MESSAGE naming a field that does not hold addresses
   */
  public List<String> headerRecipients() throws SubmitException {
    boolean resent = false;
    for (Field f : fields) {
      String n = f.name.toLowerCase(Locale.ROOT);
      if (n.equals("resent-to") || n.equals("resent-cc") || n.equals("resent-bcc")) {
        resent = true;
      }
    }
    String prefix = resent ? "resent-" : "";
    List<String> out = new ArrayList<>();
    for (Field f : fields) {
      String n = f.name.toLowerCase(Locale.ROOT);
      if (n.equals(prefix + "to") || n.equals(prefix + "cc") || n.equals(prefix + "bcc")) {
        out.addAll(addresses(f));
      }
    }
    return out;
  }

  /** The first address in From, or null. */
  public @Nullable String fromAddress() throws SubmitException {
    for (Field f : fields) {
      if (f.name.equalsIgnoreCase("from")) {
        List<String> a = addresses(f);
        return a.isEmpty() ? null : a.get(0);
      }
    }
    return null;
  }

  private static List<String> addresses(Field f) throws SubmitException {
    List<String> out = new ArrayList<>();
    try {
      for (InternetAddress a : InternetAddress.parseHeader(f.value, false)) {
        if (a.isGroup()) {
          InternetAddress[] members = a.getGroup(false);
          if (members != null) {
            for (InternetAddress m : members) {
              out.add(m.getAddress());
            }
          }
        } else if (a.getAddress() != null && !a.getAddress().isEmpty()) {
          out.add(a.getAddress());
        }
      }
    } catch (AddressException e) {
      throw new SubmitException(
          SubmitException.Kind.BAD_MESSAGE,
          "the "
              + f.name
              + ": field '"
              + Printable.of(f.value)
              + "' does not hold valid addresses: "
              + e.getMessage());
    }
    return out;
  }

  /**
   * The bytes to queue: Bcc fields removed, and a From field added when missing.
   *
   * @param sender the envelope sender, used for an added From
   * @param fullName the sender's name ({@code -F}), or null
   */
  public byte[] prepared(String sender, @Nullable String fullName) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 128);
    boolean hasFrom = !header("From").isEmpty();
    if (!hasFrom && !sender.isEmpty()) {
      String from = sender;
      if (fullName != null && !fullName.isBlank()) {
        try {
          from = new InternetAddress(sender, fullName.strip(), "UTF-8").toString();
        } catch (UnsupportedEncodingException e) {
          from = sender;
        }
      }
      out.writeBytes(("From: " + from).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(CRLF);
    }
    int pos = 0;
    for (Field f : fields) {
      String n = f.name.toLowerCase(Locale.ROOT);
      if (n.equals("bcc") || n.equals("resent-bcc")) {
        out.write(bytes, pos, f.start - pos);
        pos = f.end;
      }
    }
    out.write(bytes, pos, bytes.length - pos);
    return out.toByteArray();
  }
}
