package io.twinpath.host.internal.cli;

import io.twinpath.core.DeviceId;
import io.twinpath.core.config.Secret;
import io.twinpath.host.internal.config.Account;
import io.twinpath.host.internal.config.ConfigException;
import io.twinpath.host.internal.config.HostConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinpath-host config check}. */
@Command(
    name = "config",
    description = "Check the config file.",
    subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Callable<Integer> {
  private final Env env;

  public ConfigCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    env.err().println("twinpath-host config: say check");
    return Exits.USAGE;
  }

  /** {@code config check}: reads and checks the file, runs password commands, prints a verdict. */
  @Command(
      name = "check",
      description = {
        "Read and check the config file, run its password commands, and say whether it is usable.",
        "Exits 0 when it is, 78 when it is not."
      })
  static final class Check implements Callable<Integer> {
    private final Env env;

    @Option(names = "--config", paramLabel = "FILE", description = "the config file")
    @Nullable Path config;

    @Option(
        names = "--no-password-command",
        description = "do not run passwordeval commands (they may ask for a passphrase)")
    boolean noEval;

    Check(Env env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      PrintStream out = env.out();
      Path file = config != null ? config : env.dirs().defaultConfigFile();
      HostConfig c;
      try {
        c = env.config(config);
      } catch (ConfigException e) {
        out.println("config file: " + file);
        out.println("  error: " + e.getMessage());
        out.println("verdict: NOT USABLE");
        return Exits.CONFIG;
      }
      int problems = 0;
      out.println(
          "config file: "
              + (c.source() == null
                  ? file + " (does not exist; every setting is a default)"
                  : file));
      out.println("  device    " + c.device() + " (peers in failover order: " + peers(c) + ")");
      Account a = c.account();
      if (a == null) {
        out.println(
            "  account   none: this laptop has no SMTP path of its own; mail goes out through"
                + " the peers only");
      } else {
        out.println(
            "  account   "
                + a.name()
                + " ("
                + a.origin()
                + "): "
                + a.host()
                + ":"
                + a.port()
                + " tls "
                + a.tls().word()
                + (a.user() == null ? ", no login" : ", user " + a.user())
                + (a.from() == null ? "" : ", from " + a.from()));
        if (a.password() != null && !check(out, "password", a.password())) {
          problems++;
        }
      }
      out.println(
          "  broker    "
              + c.broker().url()
              + (c.broker().user() == null ? "" : " as " + c.broker().user()));
      if (c.broker().password() != null && !check(out, "broker password", c.broker().password())) {
        problems++;
      }
      if (!directory(out, "data", c.dataDir())) {
        problems++;
      }
      if (!directory(out, "spool", c.spoolDir())) {
        problems++;
      }
      if (!directory(out, "maildir", c.maildir())) {
        problems++;
      }
      out.println(
          "  listener  "
              + (c.listen() == null
                  ? "off"
                  : "SMTP on "
                      + c.listen().getAddress().getHostAddress()
                      + ":"
                      + c.listen().getPort())
              + ", size limit "
              + c.sizeLimit()
              + " bytes");
      out.println(
          "  timing    expiry "
              + c.expiry()
              + ", backoff "
              + c.backoff()
              + " up to "
              + c.backoffMax()
              + "; Message-ID domain "
              + c.domain());
      out.println(
          problems == 0 ? "verdict: OK" : "verdict: NOT USABLE (" + problems + " problem(s))");
      out.flush();
      return problems == 0 ? Exits.OK : Exits.CONFIG;
    }

    private static String peers(HostConfig c) {
      StringBuilder b = new StringBuilder();
      for (DeviceId d : c.peers()) {
        b.append(b.length() > 0 ? ", " : "").append(d);
      }
      return b.length() == 0 ? "none" : b.toString();
    }

    private boolean check(PrintStream out, String what, Secret secret) {
      if (!secret.isCommand()) {
        out.println("  " + what + "  written in the file (" + secret.origin() + ")");
        return true;
      }
      if (noEval) {
        out.println("  " + what + "  from a command (" + secret.origin() + "), not run");
        return true;
      }
      try {
        char[] pw = secret.reveal();
        Arrays.fill(pw, '\0');
        out.println("  " + what + "  from a command (" + secret.origin() + "): it printed one");
        return true;
      } catch (IOException e) {
        out.println("  error: " + e.getMessage());
        return false;
      }
    }

    private static boolean directory(PrintStream out, String what, Path dir) {
      String label = String.format("  %-9s ", what);
      if (Files.isDirectory(dir)) {
        if (Files.isWritable(dir)) {
          out.println(label + dir + " (writable)");
          return true;
        }
        out.println("  error: " + what + " directory " + dir + " is not writable");
        return false;
      }
      Path p = dir;
      while (p != null && !Files.exists(p)) {
        p = p.getParent();
      }
      if (p != null && Files.isDirectory(p) && Files.isWritable(p)) {
        out.println(label + dir + " (will be created)");
        return true;
      }
      out.println(
          "  error: "
              + what
              + " directory "
              + dir
              + " does not exist and cannot be created"
              + (p == null ? "" : " (" + p + " is not a writable directory)"));
      return false;
    }
  }
}
