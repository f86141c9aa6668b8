package io.twinpath.host;

import io.twinpath.host.internal.cli.ConfigCommand;
import io.twinpath.host.internal.cli.Env;
import io.twinpath.host.internal.cli.PairCommand;
import io.twinpath.host.internal.cli.QueueCommand;
import io.twinpath.host.internal.cli.RunCommand;
import io.twinpath.host.internal.cli.SendmailCommand;
import io.twinpath.host.internal.cli.StatusCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
    System.exit(execute(Env.system(), args));
  }

  /**
   * Runs a command line with the given environment. {@code sendmail} takes its arguments exactly as
   * sendmail does (they are not picocli options).
   */
  public static int execute(Env env, String... args) {
    if (args.length > 0 && args[0].equals("sendmail")) {
      List<String> rest = Arrays.asList(args).subList(1, args.length);
      return SendmailCommand.run(env, rest);
    }
    CommandLine cl = commandLine(env);
    return cl.execute(args);
  }

  /** The command line for the process environment, with this product's usage exit codes. */
  public static CommandLine commandLine() {
    return commandLine(Env.system());
  }

  /** The command line with an explicit environment (tests). */
  public static CommandLine commandLine(Env env) {
    CommandLine cl = new CommandLine(new TwinpathHost(), new EnvFactory(env));
    cl.setExitCodeExceptionMapper(e -> EX_USAGE);
    cl.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("twinpath-host: " + ex.getMessage());
          return EX_USAGE;
        });
    CommandLine sendmail =
        Objects.requireNonNull(cl.getSubcommands().get("sendmail"), "the sendmail command");
    sendmail.setUnmatchedArgumentsAllowed(true);
    sendmail.setUnmatchedOptionsArePositionalParams(true);
    return cl;
  }

  /** Hands the environment to every command that wants one. */
  private static final class EnvFactory implements CommandLine.IFactory {
    private final Env env;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    EnvFactory(Env env) {
      this.env = env;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        java.lang.reflect.Constructor<K> c = cls.getDeclaredConstructor(Env.class);
        c.setAccessible(true);
        return c.newInstance(env);
      } catch (NoSuchMethodException e) {
        return fallback.create(cls);
      }
    }
  }
}
