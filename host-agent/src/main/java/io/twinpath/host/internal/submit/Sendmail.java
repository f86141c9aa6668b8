package io.twinpath.host.internal.submit;

import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.host.internal.config.ConfigException;
import io.twinpath.host.internal.config.ConfigLoader;
import io.twinpath.host.internal.config.HostConfig;
import io.twinpath.host.internal.config.XdgDirs;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code twinpath-host sendmail} (or {@code sendmail} through the wrapper script): reads one
 * message from standard input and exits 0 only once it is durably queued. Exit statuses follow
 * sysexits.h: 64 usage, 65 bad message, 73 spool cannot be created, 75 try again later, 78 bad
 * configuration.
 */
public final class Sendmail {
  public static final int EX_OK = 0;
  public static final int EX_USAGE = 64;
  public static final int EX_DATAERR = 65;
  public static final int EX_CANTCREAT = 73;
  public static final int EX_TEMPFAIL = 75;
  public static final int EX_CONFIG = 78;

  /** Makes the outbox for a configuration (the spool in production). */
  @FunctionalInterface
  public interface OutboxFactory {
    Outbox open(HostConfig config) throws SubmitException;
  }

  /** Lists the queue for {@code -bp}. */
  @FunctionalInterface
  public interface QueuePrinter {
    int print(HostConfig config, PrintStream out);
  }

  private final XdgDirs dirs;
  private final OutboxFactory outboxes;
  private final QueuePrinter printer;

  public Sendmail(XdgDirs dirs, OutboxFactory outboxes, QueuePrinter printer) {
    this.dirs = dirs;
    this.outboxes = outboxes;
    this.printer = printer;
  }

  /** Runs the command; returns the exit status. Messages for the user go to {@code err}. */
  public int run(List<String> argv, InputStream stdin, PrintStream out, PrintStream err) {
    SendmailArgs args;
    try {
      args = SendmailArgs.parse(argv);
    } catch (SendmailArgs.UsageException e) {
      err.println("sendmail: " + e.getMessage());
      return EX_USAGE;
    }
    HostConfig config;
    try {
      config = ConfigLoader.load(args.config() == null ? null : Path.of(args.config()), dirs);
    } catch (ConfigException e) {
      err.println("sendmail: " + e.getMessage());
      return EX_CONFIG;
    }
    if (args.mode() == SendmailArgs.Mode.PRINT_QUEUE) {
      return printer.print(config, out);
    }
    List<String> recipients = new ArrayList<>(args.recipients());
    try {
      Envelope.of("", recipients.isEmpty() ? List.of("check@example.org") : recipients);
    } catch (IllegalArgumentException e) {
      err.println("sendmail: " + e.getMessage());
      return EX_USAGE;
    }
    if (recipients.isEmpty() && !args.extractRecipients()) {
      err.println(
          "sendmail: no recipients; give addresses as arguments, or use -t to take them from the"
              + " To, Cc and Bcc fields");
      return EX_USAGE;
    }
    try {
      SubmittedMessage message =
          SubmittedMessage.read(
              new BufferedInputStream(stdin, 65536), args.ignoreDots(), config.sizeLimit());
      if (args.extractRecipients()) {
        recipients.addAll(message.headerRecipients());
        if (recipients.isEmpty()) {
          err.println(
              "sendmail: no recipients: -t found no address in To, Cc or Bcc, and none was given"
                  + " as an argument");
          return EX_DATAERR;
        }
      }
      String sender = args.sender();
      if (sender == null) {
        sender = message.fromAddress();
      }
      if (sender == null && config.account() != null) {
        sender = config.account().from();
      }
      if (sender == null) {
        err.println(
            "sendmail: no sender; give -f ADDRESS, a From: field in the message, or 'from' in"
                + " the account block of host.conf");
        return EX_USAGE;
      }
      Envelope envelope;
      try {
        envelope = Envelope.of(sender, recipients);
      } catch (IllegalArgumentException e) {
        String why = Objects.requireNonNullElse(e.getMessage(), "bad envelope");
        err.println("sendmail: " + why);
        return args.sender() != null && why.contains("sender") ? EX_USAGE : EX_DATAERR;
      }
      byte[] bytes = message.prepared(sender, args.fullName());
      Outbox outbox = outboxes.open(config);
      ItemId id = outbox.submit(envelope, new ByteArrayInputStream(bytes));
      if (args.verbose()) {
        err.println(
            "sendmail: queued "
                + id
                + " for "
                + String.join(", ", envelope.recipients())
                + " ("
                + bytes.length
                + " bytes)");
      }
      return EX_OK;
    } catch (SubmitException e) {
      err.println("sendmail: not queued: " + e.getMessage());
      return e.kind().exitCode();
    }
  }
}
