package io.twinpath.core.spool.internal;

import io.twinpath.core.item.InvalidMessageException;
import io.twinpath.core.item.internal.HeaderCollector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Streams a prepared message into a new file of the spool, counting each chunk against the spool's
 * budget and checking it on the way: CRLF line ends only, a Message-ID field and a Date field.
 */
final class MessageWriter {
  /** What was written: the size, the SHA-256 in hex and the message's Message-ID. */
  record Written(long size, String sha256, String messageId) {}

  private final FileSpool spool;
  private final String what;
  private long reserved;

  MessageWriter(FileSpool spool, String what) {
    this.spool = spool;
    this.what = what;
  }

  /** The bytes counted against the budget so far; given back by the caller if the write fails. */
  long reserved() {
    return reserved;
  }

  Written write(InputStream preparedMessage, Path file, Durable durable) throws IOException {
    MessageDigest digest = FileSpool.sha256();
    HeaderCollector header = new HeaderCollector();
    LineEndCheck crlf = new LineEndCheck();
    long size = 0;
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = preparedMessage.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        spool.reserve(n, what);
        reserved += n;
        header.feed(buf, 0, n);
        crlf.check(buf, n, size);
        digest.update(buf, 0, n);
        size += n;
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      header.finish();
      crlf.finish(size);
      durable.force(ch);
    }
    String messageId =
        header
            .first("Message-ID")
            .filter(v -> !v.isEmpty())
            .orElseThrow(
                () ->
                    new InvalidMessageException(
                        "the message has no Message-ID field; prepare it with MessagePreparer"
                            + " before queueing"));
    if (header.first("Date").isEmpty()) {
      throw new InvalidMessageException(
          "the message has no Date field; prepare it with MessagePreparer before queueing");
    }
    return new Written(size, HexFormat.of().formatHex(digest.digest()), messageId);
  }
}
