package io.twinpath.core.smtp;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.MessagePreparer;
import io.twinpath.core.item.OutboundItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Prepared test messages and their item descriptions. */
final class TestMessages {
  private TestMessages() {}

  /** A message with 8-bit header text, leading dots (dot-stuffing) and a long body. */
  static byte[] tricky() throws IOException {
    String raw =
        "From: Jörg <me@x.org>\n"
            + "To: a@y.org\n"
            + "Subject: héllo ünïcødé\n"
            + "\n"
            + ".a line starting with a dot\n"
            + "..two dots\n"
            + ".\n"
            + "line with trailing spaces   \n"
            + "x".repeat(20_000)
            + "\n";
    return prepare(raw);
  }

  /** A short message. */
  static byte[] small() {
    try {
      return prepare("From: me@x.org\nTo: a@y.org\nSubject: small\n\nhello\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The Message-ID field value of prepared bytes. */
  static String messageId(byte[] prepared) {
    for (String line : new String(prepared, StandardCharsets.UTF_8).split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
        return line.substring(11).trim();
      }
    }
    throw new IllegalArgumentException("no Message-ID");
  }

  static byte[] prepare(String raw) throws IOException {
    try (InputStream in =
        MessagePreparer.prepare(
            new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)),
            Clock.systemUTC(),
            "x.org")) {
      return in.readAllBytes();
    }
  }

  static OutboundItem item(byte[] bytes, String... recipients) {
    ItemId id = ItemId.generate(Clock.systemUTC());
    return OutboundItem.of(
        id,
        Envelope.of("me@x.org", List.of(recipients)),
        id.createdAt(),
        Instant.now().plusSeconds(3600),
        bytes.length,
        sha(bytes),
        "<t@x.org>",
        DeviceId.of("laptop"));
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
