package io.twinpath.host;

import io.twinpath.host.internal.cli.ConfigCommand;
import io.twinpath.host.internal.cli.Env;
import io.twinpath.host.internal.cli.HostCommandLine;
import io.twinpath.host.internal.cli.PairCommand;
import io.twinpath.host.internal.cli.QueueCommand;
import io.twinpath.host.internal.cli.RunCommand;
import io.twinpath.host.internal.cli.SendmailCommand;
import io.twinpath.host.internal.cli.StatusCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code twinpath-host}: the laptop side's commands. */
@Command(
    name = "twinpath-host",
    mixinStandardHelpOptions = true,
    version = "twinpath-host 0.1.0",
    description = "Sends your mail over this laptop's network, or over the paired dongle's.",
    subcommands = {
      RunCommand.class,
      SendmailCommand.class,
      StatusCommand.class,
      QueueCommand.class,
      PairCommand.class,
      ConfigCommand.class
    })
public final class TwinpathHost implements Callable<Integer> {
  /** sysexits.h EX_USAGE. */
  public static final int EX_USAGE = 64;

  /** sysexits.h EX_TEMPFAIL. */
  public static final int EX_TEMPFAIL = 75;

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return EX_USAGE;
  }

  public static void main(String[] args) {
    System.exit(HostCommandLine.execute(Env.system(), args));
  }

  /** The command line for the process environment, with this product's usage exit codes. */
  public static CommandLine commandLine() {
    return HostCommandLine.create(Env.system());
  }
}
