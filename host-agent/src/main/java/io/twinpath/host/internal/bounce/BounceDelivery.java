package io.twinpath.host.internal.bounce;

import io.twinpath.core.maildir.Maildir;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers bounces into the user's Maildir. */
public final class BounceDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(BounceDelivery.class);

  private final Path maildir;

  public BounceDelivery(Path maildir) {
    this.maildir = maildir;
  }

  /**
   * Builds the bounce and delivers it.
   *
   * @return the delivered file
   */
  public Path deliver(Bounce.Report report) throws IOException {
    byte[] bytes = Bounce.build(report);
    Path file = Maildir.open(maildir).deliver(new ByteArrayInputStream(bytes));
    LOG.info(
        "item {} failed for {} recipient(s); a bounce is in {}",
        report.itemId(),
        report.failures().size(),
        file);
    return file;
  }
}
