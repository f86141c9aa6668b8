package io.twinpath.dongle;

import io.twinpath.core.DeviceId;
import io.twinpath.dongle.internal.DongleDaemon;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinpath-dongle}: the secondary device's commands. */
@Command(
    name = "twinpath-dongle",
    mixinStandardHelpOptions = true,
    version = "twinpath-dongle 0.1.0",
    description =
        "The secondary: holds a copy of each mail and sends it over cellular when needed.",
    subcommands = {TwinpathDongle.Run.class})
public final class TwinpathDongle implements Callable<Integer> {
  /** sysexits.h EX_USAGE. */
  public static final int EX_USAGE = 64;

  /** sysexits.h EX_UNAVAILABLE. */
  public static final int EX_UNAVAILABLE = 69;

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

  /** {@code twinpath-dongle run}. */
  @Command(name = "run", description = "Run the secondary until stopped (SIGTERM or Ctrl-C).")
  static final class Run implements Callable<Integer> {
    @Option(
        names = "--broker-host",
        description = "address the embedded broker listens on (default: ${DEFAULT-VALUE})",
        defaultValue = "127.0.0.1")
    String host = "127.0.0.1";

    @Option(
        names = "--broker-port",
        description = "port of the embedded broker (default: ${DEFAULT-VALUE})",
        defaultValue = "1883")
    int port = 1883;

    @Option(
        names = "--device",
        description = "this device's id (default: ${DEFAULT-VALUE})",
        defaultValue = "dongle")
    String device = "dongle";

    @Override
    public Integer call() throws Exception {
      DeviceId id;
      try {
        id = DeviceId.of(device);
      } catch (IllegalArgumentException e) {
        System.err.println("twinpath-dongle: --device: " + e.getMessage());
        return EX_USAGE;
      }
      if (port < 1 || port > 65535) {
        System.err.println(
            "twinpath-dongle: --broker-port " + port + " is not a TCP port (1-65535)");
        return EX_USAGE;
      }
      CountDownLatch stop = new CountDownLatch(1);
      DongleDaemon daemon;
      try {
        daemon = DongleDaemon.startEmbedded(host, port, id, Clock.systemUTC());
      } catch (java.io.IOException e) {
        System.err.println(
            "twinpath-dongle: the embedded broker cannot listen on "
                + host
                + ":"
                + port
                + ": "
                + e.getMessage());
        return EX_UNAVAILABLE;
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    daemon.close();
                    stop.countDown();
                  }));
      System.out.println("twinpath-dongle " + id + " running; broker " + daemon.brokerUrl());
      stop.await();
      return 0;
    }
  }
}
