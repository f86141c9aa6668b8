package io.twinpath.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of the product's real processes ({@code twinpath-host}, {@code twinpath-dongle}). */
final class AppProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String name;

  private AppProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The shaded jar a module builds, e.g. {@code host-agent}, {@code twinpath-host-agent}. */
  static Path jar(String module, String artifact) {
    Path root = Path.of(System.getProperty("twinpath.root", ".."));
    Path target = root.resolve(module).resolve("target");
    try (DirectoryStream<Path> s = Files.newDirectoryStream(target, artifact + "-*-all.jar")) {
      for (Path p : s) {
        return p;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("no build output in " + target, e);
    }
    throw new IllegalStateException("no " + artifact + "-*-all.jar in " + target);
  }

  /** The java command for a jar, with optional JVM options. */
  static List<String> java(Path jar, List<String> jvmOptions, List<String> args) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(jvmOptions);
    c.add("-jar");
    c.add(jar.toString());
    c.addAll(args);
    return c;
  }

  /** Starts a long-running process with its output in {@code dir/<name>.log}. */
  static AppProcess start(String name, List<String> command, Map<String, String> env, Path dir) {
    try {
      Path log = dir.resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      return new AppProcess(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a short command to completion; returns exit status and output. */
  static Result run(List<String> command, Map<String, String> env, byte[] stdin) {
    return run(command, env, stdin, java.time.Duration.ofSeconds(120));
  }

  /**
   * Runs a short command to completion within {@code timeout} (else kills it and throws {@link
   * IllegalStateException}); returns exit status and output.
   */
  static Result run(
      List<String> command, Map<String, String> env, byte[] stdin, java.time.Duration timeout) {
    try {
      Path out = Files.createTempFile("twinpath-run", ".out");
      Path in = Files.createTempFile("twinpath-run", ".in");
      try {
        Files.write(in, stdin);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(out.toFile());
        pb.redirectInput(in.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish in " + timeout.toSeconds() + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Exit status and combined output of a finished command. */
  static final class Result {
    final int status;
    final String output;

    Result(int status, String output) {
      this.status = status;
      this.output = output;
    }

    Result ok(String what) {
      if (status != 0) {
        throw new IllegalStateException(what + " exited " + status + ":\n" + output);
      }
      return this;
    }
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The exit status once it ended, else -1. */
  int exitStatus() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Kills the process with SIGKILL ({@code kill -9}) and waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
