package io.twinpath.core.inbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The 64-bit id of one inbound message, the same on every device that fetched it.
 *
 * <p>The id is the first 8 bytes (big-endian) of a SHA-256:
 *
 * <ul>
 *   <li>of {@code "message-id\0"} followed by the normalised Message-ID in UTF-8, when the message
 *       has one. Normalising unfolds the header, trims it, keeps what is between the first {@code
 *       <} and the next {@code >} (dropping comments around it), trims again and lower-cases the
 *       domain part (after the last {@code @}); the local part keeps its case, as RFC 5322 says it
 *       may matter;
 *   <li>otherwise of {@code "bytes\0"} followed by the message exactly as the server delivered it.
 * </ul>
 *
 * <p>Two different messages share an id with probability about {@code n²/2^65}: about one in 37
 * million for a million messages. Two copies of one message fetched by two devices get the same id,
 * which is what de-duplicates them.
 */
public final class InboundId implements Comparable<InboundId> {
  private final long value;

  private InboundId(long value) {
    this.value = value;
  }

  public static InboundId of(long value) {
    return new InboundId(value);
  }

  /**
   * Parses the 16 hexadecimal digits of {@link #toString()}.
   *
   * @throws IllegalArgumentException naming the text and what is accepted
   */
  public static InboundId parse(String hex) {
    Objects.requireNonNull(hex, "inbound id");
    if (hex.length() != 16) {
      throw new IllegalArgumentException(
          "inbound id '"
              + printable(hex)
              + "' is not 16 hexadecimal digits (e.g. 0f3a9c2b5d7e1184)");
    }
    try {
      return new InboundId(Long.parseUnsignedLong(hex, 16));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "inbound id '"
              + printable(hex)
              + "' is not 16 hexadecimal digits (e.g. 0f3a9c2b5d7e1184)",
          e);
    }
  }

  /**
   * The id of a message: from its Message-ID header value when that is usable, else from its bytes.
   */
  public static InboundId forMessage(@Nullable String messageIdHeader, byte[] rawMessage) {
    Optional<String> normalised =
        messageIdHeader == null ? Optional.empty() : normaliseMessageId(messageIdHeader);
    if (normalised.isPresent()) {
      return new InboundId(digest("message-id", normalised.get().getBytes(StandardCharsets.UTF_8)));
    }
    return forBytes(rawMessage);
  }

  /** The id from a Message-ID header value; empty when nothing usable is left after normalising. */
  public static Optional<InboundId> forMessageId(String messageIdHeader) {
    return normaliseMessageId(messageIdHeader)
        .map(n -> new InboundId(digest("message-id", n.getBytes(StandardCharsets.UTF_8))));
  }

  /** The id of a message without a Message-ID: from its exact bytes. */
  public static InboundId forBytes(byte[] rawMessage) {
    return new InboundId(digest("bytes", rawMessage));
  }

  /** Normalises a Message-ID header value as described above; empty when nothing is left. */
  public static Optional<String> normaliseMessageId(String headerValue) {
    String v = headerValue.replace("\r", "").replace("\n", "").trim();
    int lt = v.indexOf('<');
    if (lt >= 0) {
      int gt = v.indexOf('>', lt + 1);
      v = gt > 0 ? v.substring(lt + 1, gt) : v.substring(lt + 1);
    }
    v = v.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    int at = v.lastIndexOf('@');
    if (at >= 0) {
      v = v.substring(0, at + 1) + v.substring(at + 1).toLowerCase(Locale.ROOT);
    }
    return Optional.of(v);
  }

  private static long digest(String domain, byte[] data) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
    sha.update(domain.getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) 0);
    byte[] d = sha.digest(data);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return v;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > 40 ? sb + "…" : sb.toString();
  }

  public long value() {
    return value;
  }

  @Override
  public int compareTo(InboundId o) {
    return Long.compareUnsigned(value, o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboundId && ((InboundId) o).value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  /** 16 lower-case hexadecimal digits. */
  @Override
  public String toString() {
    String h = Long.toHexString(value);
    return "0".repeat(16 - h.length()) + h;
  }
}
