package io.twinpath.core.item.internal;

import io.twinpath.core.item.InvalidMessageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Collects the header section of a CRLF message fed in chunks, up to and including the empty line
 * that ends it, and parses its fields. Bytes are kept as they are (8-bit included); only the field
 * names are checked.
 */
public final class HeaderCollector {
  /** A header section longer than this is refused: real ones are a few kilobytes. */
  public static final int MAX_HEADER_BYTES = 1 << 20;

  /** One header field: its name as written and its unfolded, trimmed value. */
  public record Field(String name, String value) {}

  private final ByteArrayOutputStream header = new ByteArrayOutputStream(2048);
  private int tail; // last four bytes, newest in the low byte
  private boolean complete;
  private List<Field> fields = List.of();

  /**
   * Feeds bytes; returns how many of them belong to the header section (all of them until it is
   * complete). After the section is complete, {@link #complete()} is true and further bytes are not
   * consumed.
   */
  public int feed(byte[] b, int off, int len) throws InvalidMessageException {
    if (complete) {
      return 0;
    }
    for (int i = 0; i < len; i++) {
      byte c = b[off + i];
      header.write(c);
      tail = (tail << 8) | (c & 0xff);
      int size = header.size();
      if ((size == 2 && (tail & 0xffff) == 0x0d0a) || (size >= 4 && tail == 0x0d0a0d0a)) {
        complete = true;
        fields = parse(header.toByteArray());
        return i + 1;
      }
      if (size > MAX_HEADER_BYTES) {
        throw new InvalidMessageException(
            "the header section is longer than "
                + MAX_HEADER_BYTES
                + " bytes without an empty line; is the empty line between header and body"
                + " missing?");
      }
    }
    return len;
  }

  /** Called at the end of input; fails when the header section never ended. */
  public void finish() throws InvalidMessageException {
    if (complete) {
      return;
    }
    if (header.size() == 0) {
      throw new InvalidMessageException("the message is empty");
    }
    // parse first so a malformed line is named before the missing separator
    parse(header.toByteArray());
    throw new InvalidMessageException(
        "the message has no empty line between its header and its body (it ends after "
            + header.size()
            + " bytes of header); add an empty line after the last header field");
  }

  public boolean complete() {
    return complete;
  }

  /** The header section as received, including the empty line that ends it. */
  public byte[] bytes() {
    return header.toByteArray();
  }

  /** Bytes collected so far. */
  public int size() {
    return header.size();
  }

  public List<Field> fields() {
    return fields;
  }

  /** The unfolded value of the first field with this name (case-insensitive). */
  public Optional<String> first(String name) {
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(name)) {
        return Optional.of(f.value());
      }
    }
    return Optional.empty();
  }

  private static List<Field> parse(byte[] section) throws InvalidMessageException {
    // ISO-8859-1 maps each byte to one char, so 8-bit bytes survive for the value text
    String text = new String(section, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n", -1);
    List<Field> out = new ArrayList<>();
    if (lines.length >= 1 && lines[0].isEmpty() && section.length == 2) {
      throw new InvalidMessageException(
          "the message starts with an empty line, so it has no header fields (From, To, Subject"
              + " are expected before the first empty line)");
    }
    String name = null;
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        break; // the separator (or the unfinished end)
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        if (name == null) {
          throw new InvalidMessageException(
              "header line 1 starts with white space ('"
                  + shown(line)
                  + "'); a message must start with a field like 'From: ...'");
        }
        value.append(line);
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !validName(line, colon)) {
        throw new InvalidMessageException(
            "header line "
                + (i + 1)
                + " ('"
                + shown(line)
                + "') is not a header field of the form 'Name: value'; is the empty line"
                + " between header and body missing?");
      }
      if (name != null) {
        out.add(new Field(name, utf8(value.toString().trim())));
      }
      name = line.substring(0, colon);
      value.setLength(0);
      value.append(line, colon + 1, line.length());
    }
    if (name != null) {
      out.add(new Field(name, utf8(value.toString().trim())));
    }
    return Collections.unmodifiableList(out);
  }

  private static boolean validName(String line, int colon) {
    for (int i = 0; i < colon; i++) {
      char c = line.charAt(i);
      if (c < 33 || c > 126) {
        return false;
      }
    }
    return true;
  }

  private static String utf8(String latin1) {
    return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  private static String shown(String line) {
    String s = utf8(line.length() > 60 ? line.substring(0, 60) + "..." : line);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
