package io.twinpath.dongle;

import com.google.gson.JsonObject;
import io.twinpath.core.config.SettingException;
import io.twinpath.core.config.Values;
import io.twinpath.dongle.internal.CheckReport;
import io.twinpath.dongle.internal.ConfigSource;
import io.twinpath.dongle.internal.ModemCheck;
import io.twinpath.dongle.internal.StatusReader;
import io.twinpath.dongle.internal.StatusText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code twinpath-dongle}: the secondary device's commands. */
@Command(
    name = "twinpath-dongle",
    mixinStandardHelpOptions = true,
    version = "twinpath-dongle 0.1.0",
    description =
        "The secondary: holds a copy of each mail and sends it over cellular when needed.",
    subcommands = {
      TwinpathDongle.Run.class,
      TwinpathDongle.Status.class,
      TwinpathDongle.Pair.class,
      TwinpathDongle.ModemCommand.class
    })
public final class TwinpathDongle implements Callable<Integer> {
  /** sysexits.h EX_USAGE: bad command line. */
  public static final int EX_USAGE = 64;

  /** sysexits.h EX_UNAVAILABLE: a service this command needs is not there. */
  public static final int EX_UNAVAILABLE = 69;

  /** sysexits.h EX_CONFIG: the configuration has a bad value. */
  public static final int EX_CONFIG = 78;

  @Spec @Nullable CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return EX_USAGE;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TwinpathDongle());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("twinpath-dongle: " + ex.getMessage());
          return EX_USAGE;
        });
    return cl;
  }

  /** Where the configuration comes from; shared by every command. */
  static final class ConfigOptions {
    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description =
            "config file (default: $XDG_CONFIG_HOME/twinpath/dongle.conf, else"
                + " /etc/twinpath/dongle.conf, else built-in defaults)")
    @Nullable Path config;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "override one config key, e.g. --set broker.port=1884 (repeatable)")
    List<String> set = new ArrayList<>();

    @Option(names = "--device", paramLabel = "ID", description = "same as --set device.id=ID")
    @Nullable String device;

    @Option(
        names = "--broker-host",
        paramLabel = "ADDRESS",
        description = "same as --set broker.address=ADDRESS")
    @Nullable String brokerHost;

    @Option(
        names = "--broker-port",
        paramLabel = "PORT",
        description = "same as --set broker.port=PORT")
    @Nullable String brokerPort;

    /** The validated config, or an exit status after printing why not. */
    Result load(PrintWriter err) {
      List<String> all = new ArrayList<>(set);
      if (device != null) {
        all.add("device.id=" + device);
      }
      if (brokerHost != null) {
        all.add("broker.address=" + brokerHost);
      }
      if (brokerPort != null) {
        all.add("broker.port=" + brokerPort);
      }
      try {
        return new Result(ConfigSource.load(config, all, System.getenv()), 0);
      } catch (SettingException e) {
        err.println("twinpath-dongle: " + e.getMessage());
        return new Result(null, EX_CONFIG);
      } catch (IOException e) {
        err.println("twinpath-dongle: " + e.getMessage());
        return new Result(null, EX_CONFIG);
      }
    }
  }

  record Result(@Nullable DongleConfig config, int exit) {}

  /** {@code twinpath-dongle run}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Run the secondary until stopped (SIGTERM or Ctrl-C).")
  static final class Run implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Spec @Nullable CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = errOf(spec);
      Result r = options.load(err);
      DongleConfig config = r.config();
      if (config == null) {
        return r.exit();
      }
      Secondary secondary;
      try {
        secondary = Secondary.start(config, Clock.systemUTC());
      } catch (IOException e) {
        err.println("twinpath-dongle: " + e.getMessage());
        return EX_UNAVAILABLE;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    secondary.close();
                    stopped.countDown();
                  },
                  "twinpath-shutdown"));
      System.out.println(
          "twinpath-dongle "
              + config.device()
              + " running; broker "
              + secondary.brokerUrl()
              + "; config "
              + config.source().map(Path::toString).orElse("built-in defaults"));
      System.out.flush();
      stopped.await();
      return 0;
    }
  }

  /** {@code twinpath-dongle status [--json]}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Show broker, peers, path and modem health, queue and recent outcomes, read from the"
              + " retained twinpath/<device>/status topic.")
  static final class Status implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Spec @Nullable CommandSpec spec;

    @Option(names = "--json", description = "print the status document as JSON")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = errOf(spec);
      Result r = options.load(err);
      DongleConfig config = r.config();
      if (config == null) {
        return r.exit();
      }
      String silent;
      try {
        silent = StatusReader.unanswered(config, Duration.ofSeconds(3));
      } catch (IOException e) {
        err.println("twinpath-dongle: " + e.getMessage());
        return EX_UNAVAILABLE;
      }
      if (silent != null) {
        err.println("twinpath-dongle: cannot read status: " + silent);
        if (json) {
          PrintWriter out = outOf(spec);
          out.println(
              io.twinpath.dongle.internal.Json.pretty(StatusReader.silentBroker(config, silent)));
          out.flush();
        }
        return EX_UNAVAILABLE;
      }
      Optional<JsonObject> status;
      try {
        status = StatusReader.read(config, Duration.ofSeconds(3));
      } catch (MqttException e) {
        err.println(
            "twinpath-dongle: cannot read status from "
                + config.broker().url()
                + ": "
                + Secondary.describe(e)
                + "; is 'twinpath-dongle run' running?");
        return EX_UNAVAILABLE;
      } catch (IOException e) {
        err.println("twinpath-dongle: " + e.getMessage());
        return EX_UNAVAILABLE;
      }
      if (status.isEmpty()) {
        err.println(
            "twinpath-dongle: the broker at "
                + config.broker().url()
                + " holds no status for "
                + config.device()
                + "; start 'twinpath-dongle run' first");
        return EX_UNAVAILABLE;
      }
      PrintWriter out = outOf(spec);
      if (json) {
        out.println(io.twinpath.dongle.internal.Json.pretty(status.get()));
      } else {
        out.print(StatusText.render(status.get()));
      }
      out.flush();
      return 0;
    }
  }

  /** {@code twinpath-dongle pair [PEER KEY]}. */
  @Command(
      name = "pair",
      mixinStandardHelpOptions = true,
      description = {
        "Without arguments: show this dongle's public key and fingerprint, and the paired hosts.",
        "With PEER KEY: trust the host's public key (compare the fingerprint on both devices)."
      })
  static final class Pair implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Spec @Nullable CommandSpec spec;

    @picocli.CommandLine.Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "PEER",
        description = "the host's id, e.g. laptop")
    @Nullable String peer;

    @picocli.CommandLine.Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "KEY",
        description = "the host's public key (base64), as 'twinpath-host pair' prints it")
    @Nullable String key;

    @Option(
        names = "--fingerprint",
        paramLabel = "FP",
        description = "the fingerprint the host shows; pairing is refused when it does not match")
    @Nullable String fingerprint;

    @Option(names = "--forget", paramLabel = "PEER", description = "stop trusting a peer")
    @Nullable String forget;

    @Override
    public Integer call() {
      PrintWriter err = errOf(spec);
      Result r = options.load(err);
      DongleConfig config = r.config();
      if (config == null) {
        return r.exit();
      }
      PrintWriter out = outOf(spec);
      int code =
          io.twinpath.dongle.internal.Pairing.run(config, peer, key, fingerprint, forget, out, err);
      out.flush();
      err.flush();
      return code;
    }
  }

  /** {@code twinpath-dongle modem ...}. */
  @Command(
      name = "modem",
      mixinStandardHelpOptions = true,
      description = "Modem commands.",
      subcommands = {ModemCommand.Check.class})
  static final class ModemCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      CommandLine.usage(this, System.out);
      return EX_USAGE;
    }

    /** {@code twinpath-dongle modem check}. */
    @Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description =
            "Walk through port, SIM and PIN, signal, registration, data and a test connection to"
                + " the SMTP server, saying what to do about each problem.")
    static final class Check implements Callable<Integer> {
      @Mixin ConfigOptions options = new ConfigOptions();
      @Spec @Nullable CommandSpec spec;

      @Option(
          names = "--wait",
          paramLabel = "DURATION",
          description = "how long to wait for registration and the SMTP server (default: 60s)")
      String wait = "60s";

      @Override
      public Integer call() {
        PrintWriter err = errOf(spec);
        java.time.Duration w;
        try {
          w =
              Values.duration(java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(10))
                  .parse("--wait", wait);
        } catch (SettingException e) {
          err.println("twinpath-dongle: " + e.getMessage());
          return EX_USAGE;
        }
        Result r = options.load(err);
        DongleConfig config = r.config();
        if (config == null) {
          return r.exit();
        }
        PrintWriter out = outOf(spec);
        CheckReport report = new ModemCheck(config, out, w).run();
        out.println(report.summary());
        out.flush();
        return report.failed() ? EX_UNAVAILABLE : 0;
      }
    }
  }

  static PrintWriter errOf(@Nullable CommandSpec spec) {
    return spec == null ? new PrintWriter(System.err, true) : spec.commandLine().getErr();
  }

  static PrintWriter outOf(@Nullable CommandSpec spec) {
    return spec == null ? new PrintWriter(System.out, true) : spec.commandLine().getOut();
  }

  static Map<String, String> env() {
    return System.getenv();
  }
}
