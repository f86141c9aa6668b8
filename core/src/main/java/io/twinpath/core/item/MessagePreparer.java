package io.twinpath.core.item;

import io.twinpath.core.item.internal.CrlfInputStream;
import io.twinpath.core.item.internal.HeaderCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Makes a submitted message ready to queue, streaming, without holding it in memory:
 *
 * <ul>
 *   <li>every line ending becomes CRLF (a bare LF or a bare CR becomes CRLF; a last line without an
 *       ending gets one). This is what an SMTP client does on the wire anyway, so the prepared
 *       bytes are exactly the bytes every path sends;
 *   <li>a {@code Date} and a {@code Message-ID} field are added at the end of the header section
 *       when absent, so every attempt on every path sends the same bytes and receivers can
 *       de-duplicate;
 *   <li>every other byte is left as it is: field order, folding, 8-bit and UTF-8 header text, MIME
 *       structure, {@code Bcc}.
 * </ul>
 *
 * <p>A message is refused with an {@link InvalidMessageException} when it is empty, has no header
 * field, has a header line that is neither a field nor a continuation, has no empty line between
 * header and body, has an empty {@code Message-ID}, or grows beyond the size limit. Header problems
 * are reported by {@link #prepare}; the size limit by a read of the returned stream.
 */
public final class MessagePreparer {
  /** The default size limit of a prepared message: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final DateTimeFormatter RFC5322_DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
  private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private MessagePreparer() {}

  /** {@link #prepare(InputStream, Clock, String, long)} with {@link #DEFAULT_MAX_BYTES}. */
  public static InputStream prepare(InputStream raw, Clock clock, String domain)
      throws IOException {
    return prepare(raw, clock, domain, DEFAULT_MAX_BYTES);
  }

  /**
   * Reads the header section of {@code raw} now and returns a stream of the prepared message; the
   * body is read from {@code raw} as the returned stream is read. Closing the returned stream
   * closes {@code raw}.
   *
   * @param domain the right-hand side of a generated Message-ID, e.g. the sender's domain
   * @param maxBytes the largest prepared message accepted
   * @throws InvalidMessageException when the header section is unusable (see the class comment)
   * @throws IllegalArgumentException when {@code domain} is not a host name or {@code maxBytes} is
   *     not positive
   */
  public static InputStream prepare(InputStream raw, Clock clock, String domain, long maxBytes)
      throws IOException {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(domain, "domain");
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException(
          "message-id domain '"
              + ItemId.printable(domain)
              + "' is not a host name; use letters, digits, dashes and dots, e.g. example.org");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException(
          "message size limit " + maxBytes + " is not accepted; use a positive number of bytes");
    }
    InputStream normalised = new CrlfInputStream(raw);
    HeaderCollector header = new HeaderCollector();
    byte[] buf = new byte[8192];
    byte[] rest = new byte[0];
    while (!header.complete()) {
      int n = normalised.read(buf, 0, buf.length);
      if (n < 0) {
        header.finish();
        break;
      }
      int used = header.feed(buf, 0, n);
      if (header.complete()) {
        rest = java.util.Arrays.copyOfRange(buf, used, n);
      }
    }
    byte[] section = header.bytes();
    ByteArrayOutputStream head = new ByteArrayOutputStream(section.length + 128);
    head.write(section, 0, section.length - 2); // all fields, without the empty line
    if (header.first("Date").isEmpty()) {
      writeField(head, "Date: " + RFC5322_DATE.format(ZonedDateTime.now(clock)));
    }
    if (header.first("Message-ID").map(String::isEmpty).orElse(false)) {
      throw new InvalidMessageException(
          "the Message-ID field is empty; remove it (one will be generated) or give a value like"
              + " <unique@example.org>");
    }
    if (header.first("Message-ID").isEmpty()) {
      writeField(head, "Message-ID: " + newMessageId(domain));
    }
    head.write('\r');
    head.write('\n');
    head.write(rest, 0, rest.length);
    InputStream all =
        new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), normalised);
    return new Limited(all, maxBytes);
  }

  /** A new Message-ID value, angle brackets included: 26 random base-32 characters @ domain. */
  public static String newMessageId(String domain) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    StringBuilder b = new StringBuilder("<");
    long acc = 0;
    int bits = 0;
    for (byte x : random) {
      acc = (acc << 8) | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        b.append(BASE32[(int) ((acc >>> (bits - 5)) & 31)]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      b.append(BASE32[(int) ((acc << (5 - bits)) & 31)]);
    }
    return b.append('@').append(domain).append('>').toString();
  }

  private static void writeField(ByteArrayOutputStream out, String field) {
    byte[] bytes = field.getBytes(StandardCharsets.US_ASCII);
    out.write(bytes, 0, bytes.length);
    out.write('\r');
    out.write('\n');
  }

  /** Fails a read that would pass the size limit. */
  private static final class Limited extends FilterInputStream {
    private final long max;
    private long count;

    Limited(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int c = in.read();
      if (c >= 0) {
        count(1);
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(n);
      count(s);
      return s;
    }

    private void count(long n) throws InvalidMessageException {
      count += n;
      if (count > max) {
        throw new InvalidMessageException(
            "the message is larger than the limit of "
                + max
                + " bytes; it was not queued (send a smaller message or raise the limit)");
      }
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
