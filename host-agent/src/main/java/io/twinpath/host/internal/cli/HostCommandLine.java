package io.twinpath.host.internal.cli;

import io.twinpath.host.TwinpathHost;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine;

/** {@code twinpath-host}'s command line over a given environment (the process's, or a test's). */
public final class HostCommandLine {
  private HostCommandLine() {}

  /**
   * Runs a command line with the given environment. {@code sendmail} takes its arguments exactly as
   * sendmail does (they are not picocli options).
   */
  public static int execute(Env env, String... args) {
    if (args.length > 0 && args[0].equals("sendmail")) {
      List<String> rest = Arrays.asList(args).subList(1, args.length);
      return SendmailCommand.run(env, rest);
    }
    CommandLine cl = create(env);
    return cl.execute(args);
  }

  /** The command line with an explicit environment, with this product's usage exit codes. */
  public static CommandLine create(Env env) {
    CommandLine cl = new CommandLine(new TwinpathHost(), new EnvFactory(env));
    cl.setExitCodeExceptionMapper(e -> TwinpathHost.EX_USAGE);
    cl.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("twinpath-host: " + ex.getMessage());
          return TwinpathHost.EX_USAGE;
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
