package io.twinpath.host;

import io.twinpath.core.DeviceId;
import io.twinpath.host.internal.HostDaemon;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinpath-host}: the laptop side's commands. */
@Command(
    name = "twinpath-host",
    mixinStandardHelpOptions = true,
    version = "twinpath-host 0.1.0",
    description = "Sends your mail over this laptop's network, or over the paired dongle's.",
    subcommands = {TwinpathHost.Run.class})
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
    System.exit(commandLine().execute(args));
  }

  /** The command line with this product's exit codes for usage errors. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TwinpathHost());
    cl.setExitCodeExceptionMapper(e -> EX_USAGE);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("twinpath-host: " + ex.getMessage());
          return EX_USAGE;
        });
    return cl;
  }

  /** {@code twinpath-host run}: the daemon. */
  @Command(name = "run", description = "Run the host daemon until stopped (SIGTERM or Ctrl-C).")
  static final class Run implements Callable<Integer> {
    @Option(
        names = "--broker",
        description = "MQTT broker URL (default: ${DEFAULT-VALUE})",
        defaultValue = "tcp://127.0.0.1:1883")
    String broker = "tcp://127.0.0.1:1883";

    @Option(
        names = "--device",
        description = "this device's id (default: ${DEFAULT-VALUE})",
        defaultValue = "laptop")
    String device = "laptop";

    @Override
    public Integer call() throws Exception {
      DeviceId id;
      try {
        id = DeviceId.of(device);
      } catch (IllegalArgumentException e) {
        System.err.println("twinpath-host: --device: " + e.getMessage());
        return EX_USAGE;
      }
      CountDownLatch stop = new CountDownLatch(1);
      HostDaemon daemon;
      try {
        daemon = HostDaemon.start(broker, id, Clock.systemUTC());
      } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
        System.err.println(
            "twinpath-host: cannot reach the MQTT broker at " + broker + ": " + e.getMessage());
        return EX_TEMPFAIL;
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    daemon.close();
                    stop.countDown();
                  }));
      System.out.println("twinpath-host " + id + " running; broker " + broker);
      stop.await();
      return 0;
    }
  }
}
