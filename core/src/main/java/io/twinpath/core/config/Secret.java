package io.twinpath.core.config;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A password or PIN from the configuration: written there, or printed by a command ({@code
 * passwordeval}). It is never shown: {@link #toString()} says only where it comes from, and a
 * command's output is never logged.
 */
public final class Secret {
  private static final long COMMAND_TIMEOUT_SECONDS = 60;
  private static final int MAX_OUTPUT = 64 * 1024;

  private final char[] literal;
  private final String command;
  private final String origin;

  private Secret(char[] literal, String command, String origin) {
    this.literal = literal;
    this.command = command;
    this.origin = origin;
  }

  /** A secret written in the configuration. */
  public static Secret of(char[] value) {
    return new Secret(value.clone(), "", "");
  }

  /** A secret written in the configuration. */
  public static Secret of(String value) {
    return new Secret(value.toCharArray(), "", "");
  }

  /** A secret written in the configuration at {@code origin} (e.g. {@code host.conf:12}). */
  public static Secret literal(char[] value, String origin) {
    return new Secret(value.clone(), "", Objects.requireNonNull(origin, "origin"));
  }

  /** A secret printed by {@code sh -c command} (its first line). */
  public static Secret command(String command, String origin) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty password command");
    }
    return new Secret(new char[0], command, Objects.requireNonNull(origin, "origin"));
  }

  /** True when the secret comes from a command. */
  public boolean isCommand() {
    return !command.isEmpty();
  }

  /** The command, or empty. The command itself is not secret; its output is. */
  public String command() {
    return command;
  }

  /** Where this secret was configured, e.g. {@code host.conf:12}; empty when not known. */
  public String origin() {
    return origin;
  }

  /**
   * A copy of a written secret's characters; callers may wipe it after use.
   *
   * @throws IllegalStateException for a secret from a command (use {@link #reveal()})
   */
  public char[] chars() {
    if (isCommand()) {
      throw new IllegalStateException("a password from a command is read with reveal()");
    }
    return literal.clone();
  }

  /** True for a written secret with no characters. */
  public boolean isEmpty() {
    return !isCommand() && literal.length == 0;
  }

  /** Compares with a written secret in time independent of where the first difference is. */
  public boolean matches(char[] other) {
    if (isCommand()) {
      return false;
    }
    int diff = literal.length ^ other.length;
    for (int i = 0; i < Math.max(literal.length, other.length); i++) {
      char a = i < literal.length ? literal[i] : 0;
      char b = i < other.length ? other[i] : 0;
      diff |= a ^ b;
    }
    return diff == 0;
  }

  /**
   * The secret. A command is run each time (so a password manager can refuse or rotate); the caller
   * should clear the array after use.
   *
   * @throws IOException saying what went wrong with the command, without its output
   */
  public char[] reveal() throws IOException {
    if (!isCommand()) {
      return literal.clone();
    }
    ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException(
          "the password command (" + origin + ") could not be started: " + e.getMessage(), e);
    }
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = readLimited(in);
      if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            "the password command ("
                + origin
                + ") did not finish within "
                + COMMAND_TIMEOUT_SECONDS
                + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running the password command (" + origin + ")", e);
    }
    try {
      if (p.exitValue() != 0) {
        throw new IOException(
            "the password command ("
                + origin
                + ") exited with status "
                + p.exitValue()
                + "; run it by hand to see why");
      }
      int end = 0;
      while (end < out.length && out[end] != '\n' && out[end] != '\r') {
        end++;
      }
      if (end == 0) {
        throw new IOException(
            "the password command (" + origin + ") printed nothing on its first line");
      }
      CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(out, 0, end));
      char[] result = new char[chars.remaining()];
      chars.get(result);
      Arrays.fill(chars.array(), '\0');
      return result;
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  private static byte[] readLimited(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (b.size() < MAX_OUTPUT) {
        b.write(buf, 0, Math.min(n, MAX_OUTPUT - b.size()));
      }
    }
    Arrays.fill(buf, (byte) 0);
    return b.toByteArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret
        && Arrays.equals(((Secret) o).literal, literal)
        && ((Secret) o).command.equals(command);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(literal) * 31 + command.hashCode();
  }

  @Override
  public String toString() {
    if (isCommand()) {
      return "(password from a command, " + origin + ")";
    }
    return origin.isEmpty() ? "(hidden)" : "(hidden, " + origin + ")";
  }
}
