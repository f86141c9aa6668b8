package io.twinpath.core.engine.internal;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When this device was last known connected, in {@code <dataDir>/engine/alive}. After a restart it
 * tells how long the device was away, and so whether a peer could have taken an item over.
 */
final class AliveMark {
  private static final Logger LOG = LoggerFactory.getLogger(AliveMark.class);

  private final DeviceId self;
  private final Path file;
  private final Clock clock;

  AliveMark(DeviceId self, Path recordsDir, Clock clock) {
    this.self = self;
    this.file = recordsDir.resolve("alive");
    this.clock = clock;
  }

  /**
   * Notes that this device is connected now (not forced to disk: after a power loss the mark is
   * older, which only makes the next start more careful).
   */
  void write() {
    try {
      AtomicFiles.write(
          file, clock.instant().toString().getBytes(StandardCharsets.US_ASCII), false, false);
    } catch (IOException e) {
      LOG.debug("{}: cannot write the alive mark: {}", self, e.getMessage());
    }
  }

  /** The instant of the last mark, or null when there is none (or it is unreadable). */
  @Nullable Instant read() {
    try {
      return Instant.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IOException | DateTimeParseException e) {
      return null;
    }
  }
}
