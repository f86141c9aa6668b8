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
