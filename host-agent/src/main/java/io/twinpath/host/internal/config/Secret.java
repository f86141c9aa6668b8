package io.twinpath.host.internal.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A password, either written in the config file or printed by a command ({@code passwordeval}). It
 * is never shown: {@link #toString()} says only where it comes from, and command output is never
 * logged.
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

  /** A password written in the file. */
  public static Secret literal(char[] value, String origin) {
    return new Secret(value.clone(), "", origin);
  }

  /** A password printed by {@code sh -c command} (its first line). */
  public static Secret command(String command, String origin) {
    return new Secret(new char[0], command, origin);
  }

  /** True when the password comes from a command. */
  public boolean isCommand() {
    return !command.isEmpty();
  }

  /** The password command, or empty. The command itself is not secret; its output is. */
  public String command() {
    return command;
  }

  /** Where this secret was configured, e.g. {@code host.conf:12}. */
  public String origin() {
    return origin;
  }

  /**
   * The password. A command is run each time (so a password manager can refuse or rotate); the
   * caller should clear the array after use.
   *
   * @throws IOException saying what went wrong with the command, without its output
   */
  public char[] reveal() throws IOException {
    if (!isCommand()) {
      return literal.clone();
    }
    ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
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
  public String toString() {
    return isCommand() ? "(password from a command, " + origin + ")" : "(hidden, " + origin + ")";
  }
}
