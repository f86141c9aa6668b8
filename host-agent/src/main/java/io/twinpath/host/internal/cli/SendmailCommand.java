package io.twinpath.host.internal.cli;

import io.twinpath.host.internal.queue.HostAccess;
import io.twinpath.host.internal.submit.Sendmail;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code twinpath-host sendmail [flags] [recipients]}: the sendmail-compatible entry point. Its
 * arguments are parsed the sendmail way (see {@link
 * io.twinpath.host.internal.submit.SendmailArgs}), not as picocli options.
 */
@Command(
    name = "sendmail",
    description = {
      "Queue one message from standard input, like sendmail (-t -f -i/-oi -F, recipients as"
          + " arguments).",
      "Exits 0 once the message is safely queued; 64 usage, 65 bad message, 73 spool cannot be"
          + " created, 75 try again later, 78 bad config."
    })
public final class SendmailCommand implements Callable<Integer> {
  private final Env env;

  @Parameters(arity = "0..*", hidden = true)
  List<String> args = new ArrayList<>();

  @Unmatched List<String> unmatched = new ArrayList<>();

  public SendmailCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    List<String> all = new ArrayList<>(unmatched);
    all.addAll(args);
    return run(env, all);
  }

  /** Runs sendmail with exactly these arguments. */
  public static int run(Env env, List<String> args) {
    Sendmail sendmail =
        new Sendmail(
            env.dirs(),
            config -> new HostAccess(config, env.clock()).outbox(),
            (config, out) -> QueueCommand.printQueue(env, config, out, false));
    return sendmail.run(args, env.in(), env.out(), env.err());
  }
}
