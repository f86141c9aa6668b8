package io.twinpath.host.internal.cli;

import io.twinpath.core.DeviceId;
import io.twinpath.host.internal.HostDaemon;
import io.twinpath.host.internal.config.ConfigException;
import io.twinpath.host.internal.config.HostConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code twinpath-host run}: the daemon. */
@Command(name = "run", description = "Run the host daemon until stopped (SIGTERM or Ctrl-C).")
public final class RunCommand implements Callable<Integer> {
  private final Env env;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "the config file (default: $XDG_CONFIG_HOME/twinpath/host.conf)")
  @Nullable Path config;

  @Option(
      names = "--broker",
      paramLabel = "URL",
      description = "MQTT broker URL (overrides the file)")
  @Nullable String broker;

  @Option(
      names = "--device",
      paramLabel = "ID",
      description = "this device's id (overrides the file)")
  @Nullable String device;

  public RunCommand(Env env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    HostConfig c;
    try {
      c = env.config(config);
      if (device != null) {
        c = c.withDevice(DeviceId.of(device));
      }
      if (broker != null) {
        c = c.withBrokerUrl(broker);
      }
    } catch (ConfigException e) {
      env.err().println("twinpath-host: " + e.getMessage());
      return Exits.CONFIG;
    } catch (IllegalArgumentException e) {
      env.err().println("twinpath-host: --device: " + e.getMessage());
      return Exits.USAGE;
    }
    HostDaemon daemon;
    try {
      daemon = HostDaemon.start(c, env.clock());
    } catch (ConfigException e) {
      env.err().println("twinpath-host: " + e.getMessage());
      return Exits.CONFIG;
    } catch (IOException e) {
      env.err().println("twinpath-host: cannot start: " + e.getMessage());
      return Exits.TEMPFAIL;
    }
    InetSocketAddress listen = c.listen();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  daemon.close();
                  stop.countDown();
                }));
    env.out()
        .println(
            "twinpath-host "
                + c.device()
                + " running; broker "
                + c.broker().url()
                + "; spool "
                + c.spoolDir()
                + (listen != null && daemon.listenerPort() >= 0
                    ? "; SMTP listener on "
                        + listen.getAddress().getHostAddress()
                        + ":"
                        + daemon.listenerPort()
                    : "; SMTP listener off"));
    env.out().flush();
    stop.await();
    return 0;
  }
}
