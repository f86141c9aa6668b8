package io.twinpath.host.testing;

import io.twinpath.host.internal.cli.Env;
import io.twinpath.host.internal.cli.HostCommandLine;
import io.twinpath.host.internal.config.XdgDirs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A laptop in a directory: its own HOME, XDG directories and host.conf, and a way to run {@code
 * twinpath-host} commands in this JVM with captured output.
 */
public final class HostFixture {
  /** What one command did. */
  public record Result(int exit, String out, String err) {}

  private final Path home;
  private final Path configFile;

  public HostFixture(Path home, String twinpathBlock) throws IOException {
    this(home, "", twinpathBlock);
  }

  /** With account blocks (written before the twinpath block). */
  public HostFixture(Path home, String accounts, String twinpathBlock) throws IOException {
    this.home = home;
    this.configFile = home.resolve(".config/twinpath/host.conf");
    Files.createDirectories(configFile.getParent());
    Files.writeString(
        configFile,
        accounts
            + "\ntwinpath\ndata_dir "
            + home.resolve("data")
            + "\nmaildir "
            + home.resolve("Maildir")
            + "\n"
            + twinpathBlock);
  }

  public Path home() {
    return home;
  }

  public Path configFile() {
    return configFile;
  }

  public Path spoolDir() {
    return home.resolve("data/spool");
  }

  public Path maildir() {
    return home.resolve("Maildir");
  }

  public XdgDirs dirs() {
    return XdgDirs.of(Map.of("HOME", home.toString()), home.toString());
  }

  /** Runs {@code twinpath-host ARGS} with {@code stdin}. */
  public Result run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Env env =
        new Env(
            dirs(),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    int exit = HostCommandLine.execute(env, args);
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
