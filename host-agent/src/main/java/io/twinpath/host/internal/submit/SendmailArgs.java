package io.twinpath.host.internal.submit;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The sendmail command line, parsed the way sendmail and Postfix do: options first (POSIX: the
 * first argument that is not an option, or {@code --}, ends them), then recipients. Options that
 * only tune how sendmail itself delivers or reports ({@code -oem}, {@code -odb}, {@code -N}, …) are
 * accepted and ignored, because Twinpath always queues and always reports through the exit status
 * and {@code twinpath-host status}.
 *
 * @param extractRecipients {@code -t}: take recipients from To, Cc and Bcc too
 * @param sender {@code -f}/{@code -r}: the envelope sender; empty string for {@code <>}
 * @param fullName {@code -F}: the sender's name, used when the message has no From
 * @param ignoreDots {@code -i}/{@code -oi}: a line with a single dot does not end the message
 * @param config {@code -C}: the config file
 * @param mode {@code -b} mode
 * @param verbose {@code -v}
 * @param recipients the recipient arguments
 */
public record SendmailArgs(
    boolean extractRecipients,
    @Nullable String sender,
    @Nullable String fullName,
    boolean ignoreDots,
    @Nullable String config,
    Mode mode,
    boolean verbose,
    List<String> recipients) {

  /** What the command is asked to do. */
  public enum Mode {
    /** {@code -bm} (the default): read a message and queue it. */
    DELIVER,
    /** {@code -bp} (mailq): list the queue. */
    PRINT_QUEUE
  }

  /** A command line that cannot be used: exit status 64. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /** Options whose argument is ignored (with their argument attached or following). */
  private static final String IGNORED_WITH_ARG = "ABLNORVXdehp";

  /** Options without argument that are ignored. */
  private static final String IGNORED_FLAGS = "GUmnx";

  public SendmailArgs {
    recipients = List.copyOf(recipients);
  }

  /** Parses the arguments after {@code sendmail}. */
  public static SendmailArgs parse(List<String> args) throws UsageException {
    boolean t = false;
    String sender = null;
    String fullName = null;
    boolean ignoreDots = false;
    String config = null;
    Mode mode = Mode.DELIVER;
    boolean verbose = false;
    List<String> recipients = new ArrayList<>();
    int i = 0;
    while (i < args.size()) {
      String a = args.get(i);
      if (a.equals("--")) {
        i++;
        break;
      }
      if (!a.startsWith("-") || a.equals("-")) {
        break;
      }
      // a cluster of flags, e.g. -ti or -oi or -fuser@example.org
      int j = 1;
      while (j < a.length()) {
        char c = a.charAt(j);
        String attached = a.substring(j + 1);
        switch (c) {
          case 't':
            t = true;
            j++;
            continue;
          case 'i':
            ignoreDots = true;
            j++;
            continue;
          case 'v':
            verbose = true;
            j++;
            continue;
          default:
            break;
        }
        if (IGNORED_FLAGS.indexOf(c) >= 0) {
          j++;
          continue;
        }
        if ("frFCobq".indexOf(c) < 0 && IGNORED_WITH_ARG.indexOf(c) < 0) {
          throw new UsageException(
              "unknown option -"
                  + c
                  + "; accepted: -t -i -oi -f ADDR -r ADDR -F NAME -C FILE -bm -bp -v, and"
                  + " ignored: -o* -N -R -V -B -L -O -X -e -h -p -G -U -m -n -x");
        }
        // options with an argument: attached (-fuser) or the next argument (-f user)
        String value;
        if (!attached.isEmpty()) {
          value = attached;
        } else if (c == 'q') {
          throw new UsageException(
              "-q (run the queue) is not needed: the twinpath-host daemon retries on its own; use"
                  + " 'twinpath-host queue list' or 'queue retry ID'");
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new UsageException("option -" + c + " needs a value");
        }
        switch (c) {
          case 'f':
          case 'r':
            sender = senderValue(value);
            break;
          case 'F':
            fullName = value;
            break;
          case 'C':
            config = value;
            break;
          case 'o':
            if (value.equals("i")) {
              ignoreDots = true;
            }
            // other -o options (-oem, -odb, -oQ...) tune delivery sendmail does not do here
            break;
          case 'b':
            mode = mode(value);
            break;
          case 'q':
            throw new UsageException(
                "-q (run the queue) is not needed: the twinpath-host daemon retries on its own;"
                    + " use 'twinpath-host queue list' or 'queue retry ID'");
          default:
            break; // accepted and ignored
        }
        break; // the rest of this argument was the value
      }
      i++;
    }
    while (i < args.size()) {
      recipients.addAll(splitRecipients(args.get(i)));
      i++;
    }
    return new SendmailArgs(
        t, sender, fullName, ignoreDots, config, mode, verbose, List.copyOf(recipients));
  }

  private static Mode mode(String value) throws UsageException {
    switch (value) {
      case "m":
        return Mode.DELIVER;
      case "p":
        return Mode.PRINT_QUEUE;
      case "s":
        throw new UsageException(
            "-bs (SMTP on standard input) is not supported; use the loopback SMTP listener"
                + " ('listen' in host.conf)");
      default:
        throw new UsageException(
            "-b" + value + " is not supported; accepted: -bm (queue a message), -bp (list queue)");
    }
  }

  private static String senderValue(String value) {
    String v = value.strip();
    if (v.startsWith("<") && v.endsWith(">")) {
      v = v.substring(1, v.length() - 1).strip();
    }
    return v;
  }

  /** sendmail accepts "a@x, b@y" in one argument too. */
  private static List<String> splitRecipients(String arg) {
    List<String> out = new ArrayList<>();
    for (String part : arg.split(",")) {
      String p = part.strip();
      if (p.startsWith("<") && p.endsWith(">")) {
        p = p.substring(1, p.length() - 1).strip();
      }
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }
}
